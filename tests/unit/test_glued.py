"""Splitting the feed layout's glued ``<title><authors>`` lines, and parsing author lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetools.readers._glued import (
    AuthorLine,
    GluedSplit,
    looks_like_person_name,
    parse_author_line,
    split_glued,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# (id, glued line as it appears in the seed, expected title, expected names, truncated, orgs)
SEED_000 = [
    (
        "lumos-nexus",
        "Lumos-Nexus: Efficient Frequency Bridging with Homogeneous Latent Space for Video Unified"
        " ModelsJiazheng Xing, Hangjie Yuan, Lingling Cai et al.",
        "Lumos-Nexus: Efficient Frequency Bridging with Homogeneous Latent Space for Video Unified"
        " Models",
        ("Jiazheng Xing", "Hangjie Yuan", "Lingling Cai"),
        True,
        (),
    ),
    (
        "few-step-text-to-image",
        "Few-Step Distillation for Text-to-Image Generation: A Practical GuideYifan Pu, Yizeng Han,"
        " Zhiwei Tang et al.",
        "Few-Step Distillation for Text-to-Image Generation: A Practical Guide",
        ("Yifan Pu", "Yizeng Han", "Zhiwei Tang"),
        True,
        (),
    ),
    (
        "parallel-sampling",
        "Accelerating Parallel Sampling of Diffusion ModelsZhiwei Tang, Jiasheng Tang, Hao Luo"
        " et al.",
        "Accelerating Parallel Sampling of Diffusion Models",
        ("Zhiwei Tang", "Jiasheng Tang", "Hao Luo"),
        True,
        (),
    ),
    (
        "lumos-1",
        "Lumos-1: On Autoregressive Video Generation from a Unified Model PerspectiveHangjie Yuan,"
        " Weihua Chen, Jun Cen et al.",
        "Lumos-1: On Autoregressive Video Generation from a Unified Model Perspective",
        ("Hangjie Yuan", "Weihua Chen", "Jun Cen"),
        True,
        (),
    ),
    (
        "blockvid",
        "BlockVid: Block Diffusion for High-Quality and Consistent Minute-Long Video GenerationZeyu"
        " Zhang, Shuning Chang, Yuanyu He et al.",
        "BlockVid: Block Diffusion for High-Quality and Consistent Minute-Long Video Generation",
        ("Zeyu Zhang", "Shuning Chang", "Yuanyu He"),
        True,
        (),
    ),
    (
        "niki",
        "NIKI: Neural Inverse Kinematics with Invertible Neural Networks for 3D Human Pose and"
        " Shape EstimationJiefeng Li, Siyuan Bian, Qi Liu et al.",
        "NIKI: Neural Inverse Kinematics with Invertible Neural Networks for 3D Human Pose and"
        " Shape Estimation",
        ("Jiefeng Li", "Siyuan Bian", "Qi Liu"),
        True,
        (),
    ),
    (
        "city-scale",
        "City-Scale Multi-Camera Vehicle Tracking Guided by Crossroad ZonesChong Liu, Yuqi Zhang,"
        " Hao Luo et al.",
        "City-Scale Multi-Camera Vehicle Tracking Guided by Crossroad Zones",
        ("Chong Liu", "Yuqi Zhang", "Hao Luo"),
        True,
        (),
    ),
    (
        "eccv-tao-2020",
        "1st Place Solution to ECCV-TAO-2020: Detect and Represent Any Object for TrackingFei Du,"
        " Bo Xu, Jiasheng Tang et al.",
        "1st Place Solution to ECCV-TAO-2020: Detect and Represent Any Object for Tracking",
        ("Fei Du", "Bo Xu", "Jiasheng Tang"),
        True,
        (),
    ),
    (
        "vit-adaptation-tag",
        "Dynamic Tuning Towards Parameter and Inference Efficiency for ViT AdaptationWangbo Zhao,"
        " Jiasheng Tang, Yizeng Han et al. · stanford",
        "Dynamic Tuning Towards Parameter and Inference Efficiency for ViT Adaptation",
        ("Wangbo Zhao", "Jiasheng Tang", "Yizeng Han"),
        True,
        ("stanford",),
    ),
    (
        "large-vlms",
        "A Stitch in Time Saves Nine: Small VLM is a Precise Guidance for Accelerating Large"
        " VLMsWangbo Zhao, Yizeng Han, Jiasheng Tang et al.",
        "A Stitch in Time Saves Nine: Small VLM is a Precise Guidance for Accelerating Large VLMs",
        ("Wangbo Zhao", "Yizeng Han", "Jiasheng Tang"),
        True,
        (),
    ),
    (
        "lvms",
        "Poison as Cure: Visual Noise for Mitigating Object Hallucinations in LVMsKejia Zhang,"
        " Keda Tao, Jiasheng Tang et al.",
        "Poison as Cure: Visual Noise for Mitigating Object Hallucinations in LVMs",
        ("Kejia Zhang", "Keda Tao", "Jiasheng Tang"),
        True,
        (),
    ),
    (
        "fpsattention",
        "FPSAttention: Training-Aware FP8 and Sparsity Co-Design for Fast Video DiffusionAkide"
        " Liu, Zeyu Zhang, Zhexin Li et al.",
        "FPSAttention: Training-Aware FP8 and Sparsity Co-Design for Fast Video Diffusion",
        ("Akide Liu", "Zeyu Zhang", "Zhexin Li"),
        True,
        (),
    ),
    (
        "dydit-plus-plus",
        "DyDiT++: Dynamic Diffusion Transformers for Efficient Visual GenerationWangbo Zhao,"
        " Yizeng Han, Jiasheng Tang et al.",
        "DyDiT++: Dynamic Diffusion Transformers for Efficient Visual Generation",
        ("Wangbo Zhao", "Yizeng Han", "Jiasheng Tang"),
        True,
        (),
    ),
    (
        "shapeboost",
        "ShapeBoost: Boosting Human Shape Estimation with Part-Based Parameterization and"
        " Clothing-Preserving AugmentationSiyuan Bian, Jiefeng Li, Jiasheng Tang et al.",
        "ShapeBoost: Boosting Human Shape Estimation with Part-Based Parameterization and"
        " Clothing-Preserving Augmentation",
        ("Siyuan Bian", "Jiefeng Li", "Jiasheng Tang"),
        True,
        (),
    ),
    (
        "rapid-cubed",
        "RAPID^3: Tri-Level Reinforced Acceleration Policies for Diffusion TransformerWangbo Zhao,"
        " Yizeng Han, Zhiwei Tang et al.",
        "RAPID^3: Tri-Level Reinforced Acceleration Policies for Diffusion Transformer",
        ("Wangbo Zhao", "Yizeng Han", "Zhiwei Tang"),
        True,
        (),
    ),
    (
        "inferix-team",
        "Inferix: A Block-Diffusion based Next-Generation Inference Engine for World"
        " SimulationInferix Team, Tianyu Feng, Yizeng Han et al.",
        "Inferix: A Block-Diffusion based Next-Generation Inference Engine for World Simulation",
        ("Inferix Team", "Tianyu Feng", "Yizeng Han"),
        True,
        (),
    ),
    (
        "tars-minmax",
        "TARS: MinMax Token-Adaptive Preference Strategy for MLLM Hallucination ReductionKejia"
        " Zhang, Keda Tao, Zhiming Luo et al.",
        "TARS: MinMax Token-Adaptive Preference Strategy for MLLM Hallucination Reduction",
        ("Kejia Zhang", "Keda Tao", "Zhiming Luo"),
        True,
        (),
    ),
    (
        "k-amplitude",
        "Flow Along the K-Amplitude for Generative ModelingWeitao Du, Shuning Chang, Jiasheng Tang"
        " et al.",
        "Flow Along the K-Amplitude for Generative Modeling",
        ("Weitao Du", "Shuning Chang", "Jiasheng Tang"),
        True,
        (),
    ),
    (
        "sparsedit",
        "SparseDiT: Token Sparsification for Efficient Diffusion TransformerShuning Chang, Pichao"
        " Wang, Jiasheng Tang et al.",
        "SparseDiT: Token Sparsification for Efficient Diffusion Transformer",
        ("Shuning Chang", "Pichao Wang", "Jiasheng Tang"),
        True,
        (),
    ),
    (
        "distance-metric",
        "Large-scale Distance Metric Learning with UncertaintyQi Qian, Jiasheng Tang, Hao Li"
        " et al.",
        "Large-scale Distance Metric Learning with Uncertainty",
        ("Qi Qian", "Jiasheng Tang", "Hao Li"),
        True,
        (),
    ),
    (
        "multiple-domains",
        "Robust Optimization over Multiple DomainsQi Qian, Shenghuo Zhu, Jiasheng Tang et al.",
        "Robust Optimization over Multiple Domains",
        ("Qi Qian", "Shenghuo Zhu", "Jiasheng Tang"),
        True,
        (),
    ),
]

SEED_003 = [
    (
        "entropy-collapse",
        "Stabilizing Transformer Training by Preventing Attention Entropy CollapseShuangfei Zhai,"
        " Tatiana Likhomanenko, Etai Littwin et al. · apple-ml, meta-ai",
        "Stabilizing Transformer Training by Preventing Attention Entropy Collapse",
        ("Shuangfei Zhai", "Tatiana Likhomanenko", "Etai Littwin"),
        True,
        ("apple-ml", "meta-ai"),
    ),
    (
        "boot",
        "BOOT: Data-free Distillation of Denoising Diffusion Models with BootstrappingJiatao Gu,"
        " Shuangfei Zhai, Yizhe Zhang et al. · meta-ai",
        "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping",
        ("Jiatao Gu", "Shuangfei Zhai", "Yizhe Zhang"),
        True,
        ("meta-ai",),
    ),
    (
        "control3diff",
        "Control3Diff: Learning Controllable 3D Diffusion Models from Single-view ImagesJiatao Gu,"
        " Qingzhe Gao, Shuangfei Zhai et al. · meta-ai",
        "Control3Diff: Learning Controllable 3D Diffusion Models from Single-view Images",
        ("Jiatao Gu", "Qingzhe Gao", "Shuangfei Zhai"),
        True,
        ("meta-ai",),
    ),
    (
        "planner",
        "PLANNER: Generating Diversified Paragraph via Latent Language Diffusion ModelYizhe Zhang,"
        " Jiatao Gu, Zhuofeng Wu et al. · meta-ai",
        "PLANNER: Generating Diversified Paragraph via Latent Language Diffusion Model",
        ("Yizhe Zhang", "Jiatao Gu", "Zhuofeng Wu"),
        True,
        ("meta-ai",),
    ),
    (
        "f-dm",
        "f-DM: A Multi-stage Diffusion Model via Progressive Signal TransformationJiatao Gu,"
        " Shuangfei Zhai, Yizhe Zhang et al. · apple-ml, meta-ai",
        "f-DM: A Multi-stage Diffusion Model via Progressive Signal Transformation",
        ("Jiatao Gu", "Shuangfei Zhai", "Yizhe Zhang"),
        True,
        ("apple-ml", "meta-ai"),
    ),
    (
        "autofocusformer",
        "AutoFocusFormer: Image Segmentation off the GridChen Ziwen, Kaushik Patnaik, Shuangfei"
        " Zhai et al. · apple-ml, berkeley",
        "AutoFocusFormer: Image Segmentation off the Grid",
        ("Chen Ziwen", "Kaushik Patnaik", "Shuangfei Zhai"),
        True,
        ("apple-ml", "berkeley"),
    ),
    (
        "position-prediction",
        "Position Prediction as an Effective Pretraining StrategyShuangfei Zhai, Navdeep Jaitly,"
        " Jason Ramapuram et al. · apple-ml",
        "Position Prediction as an Effective Pretraining Strategy",
        ("Shuangfei Zhai", "Navdeep Jaitly", "Jason Ramapuram"),
        True,
        ("apple-ml",),
    ),
    (
        "gaudi",
        "GAUDI: A Neural Architect for Immersive 3D Scene GenerationMiguel Angel Bautista,"
        " Pengsheng Guo, Samira Abnar et al. · apple-ml",
        "GAUDI: A Neural Architect for Immersive 3D Scene Generation",
        ("Miguel Angel Bautista", "Pengsheng Guo", "Samira Abnar"),
        True,
        ("apple-ml",),
    ),
    (
        "slingshot",
        "The Slingshot Mechanism: An Empirical Study of Adaptive Optimizers and the Grokking"
        " PhenomenonVimal Thilak, Etai Littwin, Shuangfei Zhai et al. · apple-ml",
        "The Slingshot Mechanism: An Empirical Study of Adaptive Optimizers and the Grokking"
        " Phenomenon",
        ("Vimal Thilak", "Etai Littwin", "Shuangfei Zhai"),
        True,
        ("apple-ml",),
    ),
    (
        "iterative-denoising",
        "Normalizing Flows with Iterative DenoisingTianrong Chen, Jiatao Gu, David Berthelot"
        " et al.",
        "Normalizing Flows with Iterative Denoising",
        ("Tianrong Chen", "Jiatao Gu", "David Berthelot"),
        True,
        (),
    ),
    (
        "tract",
        "TRACT: Denoising Diffusion Models with Transitive Closure Time-DistillationDavid"
        " Berthelot, Arnaud Autef, Jierui Lin et al.",
        "TRACT: Denoising Diffusion Models with Transitive Closure Time-Distillation",
        ("David Berthelot", "Arnaud Autef", "Jierui Lin"),
        True,
        (),
    ),
    (
        "phase-stochastic",
        "Generative Modeling with Phase Stochastic BridgesTianrong Chen, Jiatao Gu, Laurent Dinh"
        " et al.",
        "Generative Modeling with Phase Stochastic Bridges",
        ("Tianrong Chen", "Jiatao Gu", "Laurent Dinh"),
        True,
        (),
    ),
    (
        "matryoshka",
        "Matryoshka Diffusion ModelsJiatao Gu, Shuangfei Zhai, Yizhe Zhang et al.",
        "Matryoshka Diffusion Models",
        ("Jiatao Gu", "Shuangfei Zhai", "Yizhe Zhang"),
        True,
        (),
    ),
    (
        "exclusive-self-attention",
        "Exclusive Self AttentionShuangfei Zhai",
        "Exclusive Self Attention",
        ("Shuangfei Zhai",),
        False,
        (),
    ),
    (
        "capable-generative",
        "Normalizing Flows are Capable Generative ModelsShuangfei Zhai, Ruixiang Zhang, Preetum"
        " Nakkiran et al. · apple-ml",
        "Normalizing Flows are Capable Generative Models",
        ("Shuangfei Zhai", "Ruixiang Zhang", "Preetum Nakkiran"),
        True,
        ("apple-ml",),
    ),
    (
        "starflow-v",
        "STARFlow-V: End-to-End Video Generative Modeling with Normalizing FlowsJiatao Gu, Ying"
        " Shen, Tianrong Chen et al.",
        "STARFlow-V: End-to-End Video Generative Modeling with Normalizing Flows",
        ("Jiatao Gu", "Ying Shen", "Tianrong Chen"),
        True,
        (),
    ),
    (
        "tada",
        "TADA: Improved Diffusion Sampling with Training-free Augmented DynamicsTianrong Chen,"
        " Huangjie Zheng, David Berthelot et al. · apple-ml",
        "TADA: Improved Diffusion Sampling with Training-free Augmented Dynamics",
        ("Tianrong Chen", "Huangjie Zheng", "David Berthelot"),
        True,
        ("apple-ml",),
    ),
    (
        "fisher-vectors",
        "Adversarial Fisher Vectors for Unsupervised Representation LearningShuangfei Zhai, Walter"
        " Talbott, Carlos Guestrin et al.",
        "Adversarial Fisher Vectors for Unsupervised Representation Learning",
        ("Shuangfei Zhai", "Walter Talbott", "Carlos Guestrin"),
        True,
        (),
    ),
    (
        "s3pool",
        "S3Pool: Pooling with Stochastic Spatial SamplingShuangfei Zhai, Hui Wu, Abhishek Kumar"
        " et al.",
        "S3Pool: Pooling with Stochastic Spatial Sampling",
        ("Shuangfei Zhai", "Hui Wu", "Abhishek Kumar"),
        True,
        (),
    ),
    (
        "gan-energy",
        "Generative Adversarial Networks as Variational Training of Energy Based ModelsShuangfei"
        " Zhai, Yu Cheng, Rogerio Feris et al.",
        "Generative Adversarial Networks as Variational Training of Energy Based Models",
        ("Shuangfei Zhai", "Yu Cheng", "Rogerio Feris"),
        True,
        (),
    ),
    (
        "trajectory-models",
        "Normalizing Trajectory ModelsJiatao Gu, Tianrong Chen, Ying Shen et al.",
        "Normalizing Trajectory Models",
        ("Jiatao Gu", "Tianrong Chen", "Ying Shen"),
        True,
        (),
    ),
    (
        "starflow2",
        "STARFlow2: Bridging Language Models and Normalizing Flows for Unified Multimodal"
        " GenerationYing Shen, Tianrong Chen, Yuan Gao et al.",
        "STARFlow2: Bridging Language Models and Normalizing Flows for Unified Multimodal"
        " Generation",
        ("Ying Shen", "Tianrong Chen", "Yuan Gao"),
        True,
        (),
    ),
    (
        "question-mark",
        "How Far Are We from Intelligent Visual Deductive Reasoning?Yizhe Zhang, He Bai, Ruixiang"
        " Zhang et al. · apple-ml",
        "How Far Are We from Intelligent Visual Deductive Reasoning?",
        ("Yizhe Zhang", "He Bai", "Ruixiang Zhang"),
        True,
        ("apple-ml",),
    ),
    (
        "world-consistent",
        "World-consistent Video Diffusion with Explicit 3D ModelingQihang Zhang, Shuangfei Zhai,"
        " Miguel Angel Bautista et al.",
        "World-consistent Video Diffusion with Explicit 3D Modeling",
        ("Qihang Zhang", "Shuangfei Zhai", "Miguel Angel Bautista"),
        True,
        (),
    ),
    (
        "concrete-score",
        "Target Concrete Score Matching: A Holistic Framework for Discrete DiffusionRuixiang"
        " Zhang, Shuangfei Zhai, Yizhe Zhang et al.",
        "Target Concrete Score Matching: A Holistic Framework for Discrete Diffusion",
        ("Ruixiang Zhang", "Shuangfei Zhai", "Yizhe Zhang"),
        True,
        (),
    ),
    (
        "monte-carlo",
        "Composition and Control with Distilled Energy Diffusion Models and Sequential Monte"
        " CarloJames Thornton, Louis Bethune, Ruixiang Zhang et al. · apple-ml, stanford",
        "Composition and Control with Distilled Energy Diffusion Models and Sequential Monte Carlo",
        ("James Thornton", "Louis Bethune", "Ruixiang Zhang"),
        True,
        ("apple-ml", "stanford"),
    ),
    (
        "many-to-many",
        "Many-to-many Image Generation with Auto-regressive Diffusion ModelsYing Shen, Yizhe"
        " Zhang, Shuangfei Zhai et al.",
        "Many-to-many Image Generation with Auto-regressive Diffusion Models",
        ("Ying Shen", "Yizhe Zhang", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "autoregressive-flows",
        "Flexible Language Modeling in Continuous Space with Transformer-based Autoregressive"
        " FlowsRuixiang Zhang, Shuangfei Zhai, Jiatao Gu et al. · apple-ml",
        "Flexible Language Modeling in Continuous Space with Transformer-based Autoregressive"
        " Flows",
        ("Ruixiang Zhang", "Shuangfei Zhai", "Jiatao Gu"),
        True,
        ("apple-ml",),
    ),
    (
        "parts-lowercase-end",
        "How PARTs assemble into wholes: Learning the relative composition of imagesMelika"
        " Ayoughi, Samira Abnar, Chen Huang et al. · apple-ml",
        "How PARTs assemble into wholes: Learning the relative composition of images",
        ("Melika Ayoughi", "Samira Abnar", "Chen Huang"),
        True,
        ("apple-ml",),
    ),
    (
        "typescore",
        "TypeScore: A Text Fidelity Metric for Text-to-Image Generative ModelsGeorgia Gabriela"
        " Sampaio, Ruixiang Zhang, Shuangfei Zhai et al.",
        "TypeScore: A Text Fidelity Metric for Text-to-Image Generative Models",
        ("Georgia Gabriela Sampaio", "Ruixiang Zhang", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "gflownets",
        "Improving GFlowNets for Text-to-Image Diffusion AlignmentDinghuai Zhang, Yizhe Zhang,"
        " Jiatao Gu et al.",
        "Improving GFlowNets for Text-to-Image Diffusion Alignment",
        ("Dinghuai Zhang", "Yizhe Zhang", "Jiatao Gu"),
        True,
        (),
    ),
    (
        "el-nouby",
        "Scalable Pre-training of Large Autoregressive Image ModelsAlaaeldin El-Nouby, Michal"
        " Klein, Shuangfei Zhai et al.",
        "Scalable Pre-training of Large Autoregressive Image Models",
        ("Alaaeldin El-Nouby", "Michal Klein", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "neural-fisher-kernel",
        "Learning Representation from Neural Fisher Kernel with Low-rank ApproximationRuixiang"
        " Zhang, Shuangfei Zhai, Etai Littwin et al.",
        "Learning Representation from Neural Fisher Kernel with Low-rank Approximation",
        ("Ruixiang Zhang", "Shuangfei Zhai", "Etai Littwin"),
        True,
        (),
    ),
    (
        "bertran-lopez",
        "Robust Robotic Control from Pixels using Contrastive Recurrent State-Space ModelsNitish"
        " Srivastava, Walter Talbott, Martin Bertran Lopez et al.",
        "Robust Robotic Control from Pixels using Contrastive Recurrent State-Space Models",
        ("Nitish Srivastava", "Walter Talbott", "Martin Bertran Lopez"),
        True,
        (),
    ),
    (
        "jean-francois",
        "Regularized Training of Nearest Neighbor Language ModelsJean-Francois Ton, Walter"
        " Talbott, Shuangfei Zhai et al.",
        "Regularized Training of Nearest Neighbor Language Models",
        ("Jean-Francois Ton", "Walter Talbott", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "bottlenecks",
        "Implicit Acceleration and Feature Learning in Infinitely Wide Neural Networks with"
        " BottlenecksEtai Littwin, Omid Saremi, Shuangfei Zhai et al.",
        "Implicit Acceleration and Feature Learning in Infinitely Wide Neural Networks with"
        " Bottlenecks",
        ("Etai Littwin", "Omid Saremi", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "attention-free",
        "An Attention Free TransformerShuangfei Zhai, Walter Talbott, Nitish Srivastava et al.",
        "An Attention Free Transformer",
        ("Shuangfei Zhai", "Walter Talbott", "Nitish Srivastava"),
        True,
        (),
    ),
    (
        "actor-critic",
        "Uncertainty Weighted Actor-Critic for Offline Reinforcement LearningYue Wu, Shuangfei"
        " Zhai, Nitish Srivastava et al.",
        "Uncertainty Weighted Actor-Critic for Offline Reinforcement Learning",
        ("Yue Wu", "Shuangfei Zhai", "Nitish Srivastava"),
        True,
        (),
    ),
    (
        "metricopt",
        "MetricOpt: Learning to Optimize Black-Box Evaluation MetricsChen Huang, Shuangfei Zhai,"
        " Pengsheng Guo et al.",
        "MetricOpt: Learning to Optimize Black-Box Evaluation Metrics",
        ("Chen Huang", "Shuangfei Zhai", "Pengsheng Guo"),
        True,
        (),
    ),
    (
        "3d-reconstruction",
        "On the generalization of learning-based 3D reconstructionMiguel Angel Bautista, Walter"
        " Talbott, Shuangfei Zhai et al.",
        "On the generalization of learning-based 3D reconstruction",
        ("Miguel Angel Bautista", "Walter Talbott", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "set-distribution",
        "Set Distribution Networks: a Generative Model for Sets of ImagesShuangfei Zhai, Walter"
        " Talbott, Miguel Angel Bautista et al.",
        "Set Distribution Networks: a Generative Model for Sets of Images",
        ("Shuangfei Zhai", "Walter Talbott", "Miguel Angel Bautista"),
        True,
        (),
    ),
    (
        "collegial-ensembles",
        "Collegial EnsemblesEtai Littwin, Ben Myara, Sima Sabah et al.",
        "Collegial Ensembles",
        ("Etai Littwin", "Ben Myara", "Sima Sabah"),
        True,
        (),
    ),
    (
        "skip-clip",
        "Skip-Clip: Self-Supervised Spatiotemporal Representation Learning by Future Clip Order"
        " RankingAlaaeldin El-Nouby, Shuangfei Zhai, Graham W. Taylor et al.",
        "Skip-Clip: Self-Supervised Spatiotemporal Representation Learning by Future Clip Order"
        " Ranking",
        ("Alaaeldin El-Nouby", "Shuangfei Zhai", "Graham W. Taylor"),
        True,
        (),
    ),
    (
        "loss-metric",
        "Addressing the Loss-Metric Mismatch with Adaptive Loss AlignmentChen Huang, Shuangfei"
        " Zhai, Walter Talbott et al.",
        "Addressing the Loss-Metric Mismatch with Adaptive Loss Alignment",
        ("Chen Huang", "Shuangfei Zhai", "Walter Talbott"),
        True,
        (),
    ),
    (
        "expert-identification",
        "A Deep Learning Approach for Expert Identification in Question Answering CommunitiesChen"
        " Zheng, Shuangfei Zhai, Zhongfei Zhang",
        "A Deep Learning Approach for Expert Identification in Question Answering Communities",
        ("Chen Zheng", "Shuangfei Zhai", "Zhongfei Zhang"),
        False,
        (),
    ),
    (
        "health-records",
        "Boosting Deep Learning Risk Prediction with Generative Adversarial Networks for"
        " Electronic Health RecordsZhengping Che, Yu Cheng, Shuangfei Zhai et al.",
        "Boosting Deep Learning Risk Prediction with Generative Adversarial Networks for"
        " Electronic Health Records",
        ("Zhengping Che", "Yu Cheng", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "one-to-many",
        "Structural Correspondence Learning for Cross-lingual Sentiment Classification with"
        " One-to-many MappingsNana Li, Shuangfei Zhai, Zhongfei Zhang et al.",
        "Structural Correspondence Learning for Cross-lingual Sentiment Classification with"
        " One-to-many Mappings",
        ("Nana Li", "Shuangfei Zhai", "Zhongfei Zhang"),
        True,
        (),
    ),
    (
        "fully-adaptive",
        "Fully-adaptive Feature Sharing in Multi-Task Networks with Applications in Person"
        " Attribute ClassificationYongxi Lu, Abhishek Kumar, Shuangfei Zhai et al.",
        "Fully-adaptive Feature Sharing in Multi-Task Networks with Applications in Person"
        " Attribute Classification",
        ("Yongxi Lu", "Abhishek Kumar", "Shuangfei Zhai"),
        True,
        (),
    ),
    (
        "doubly-convolutional",
        "Doubly Convolutional Neural NetworksShuangfei Zhai, Yu Cheng, Weining Lu et al.",
        "Doubly Convolutional Neural Networks",
        ("Shuangfei Zhai", "Yu Cheng", "Weining Lu"),
        True,
        (),
    ),
    (
        "anomaly-detection",
        "Deep Structured Energy Based Models for Anomaly DetectionShuangfei Zhai, Yu Cheng,"
        " Weining Lu et al.",
        "Deep Structured Energy Based Models for Anomaly Detection",
        ("Shuangfei Zhai", "Yu Cheng", "Weining Lu"),
        True,
        (),
    ),
]

SEED_CASES = [("000-" + case[0], *case[1:]) for case in SEED_000] + [
    ("003-" + case[0], *case[1:]) for case in SEED_003
]


def _glued_lines(pattern: str) -> list[str]:
    (path,) = SEEDS.glob(pattern)
    return path.read_text(encoding="utf-8").splitlines()[1::3]


def test_seed_table_covers_every_glued_seed_line() -> None:
    assert [case[1] for case in SEED_000] == _glued_lines("000_*.txt")
    assert [case[1] for case in SEED_003] == _glued_lines("003_*.txt")
    assert len(SEED_CASES) == 71


@pytest.mark.parametrize(
    ("line", "title", "names", "truncated", "orgs"),
    [case[1:] for case in SEED_CASES],
    ids=[case[0] for case in SEED_CASES],
)
def test_seed_lines(
    line: str, title: str, names: tuple[str, ...], truncated: bool, orgs: tuple[str, ...]
) -> None:
    assert split_glued(line) == GluedSplit(title, AuthorLine(names, truncated, orgs), certain=True)


def _case(
    case_id: str,
    line: str,
    title: str,
    *names: str,
    truncated: bool = False,
    orgs: tuple[str, ...] = (),
    certain: bool = True,
) -> object:
    expected = GluedSplit(title, AuthorLine(names, truncated, orgs), certain)
    return pytest.param(line, expected, id=case_id)


GREEK_NAME = "Σοφία Παπαδοπούλου"

CONSTRUCTED = [
    # unicode names
    _case(
        "unicode-lukasz",
        "Attention Is All You NeedŁukasz Kaiser, Noam Shazeer",
        "Attention Is All You Need",
        "Łukasz Kaiser",
        "Noam Shazeer",
    ),
    _case(
        "unicode-after-vit",
        "Robust Tuning for ViTZoë Müller",
        "Robust Tuning for ViT",
        "Zoë Müller",
    ),
    _case(
        "unicode-after-gpus",
        "Scheduling Kernels on GPUsÆgir Ørsted, Zoë Müller et al.",
        "Scheduling Kernels on GPUs",
        "Ægir Ørsted",
        "Zoë Müller",
        truncated=True,
    ),
    _case("unicode-after-2.0", "Python 2.0Šárka Ševčík", "Python 2.0", "Šárka Ševčík"),
    _case(
        "unicode-decomposed",
        "Learning NFDZoe\u0308 Mu\u0308ller",
        "Learning NFD",
        "Zoe\u0308 Mu\u0308ller",
    ),
    _case(
        "unicode-greek",
        "Learning Alpha" + GREEK_NAME,
        "Learning Alpha",
        GREEK_NAME,
    ),
    _case("cjk-coauthor", "Some TitleJohn Smith, 王小明", "Some Title", "John Smith", "王小明"),
    # particles
    _case(
        "particle-after-question",
        "Can Machines Think?Ludwig van Beethoven",
        "Can Machines Think?",
        "Ludwig van Beethoven",
    ),
    _case(
        "particle-after-plusplus",
        "DyDiT++Maria de la Cruz et al. · meta-ai",
        "DyDiT++",
        "Maria de la Cruz",
        truncated=True,
        orgs=("meta-ai",),
    ),
    _case(
        "particle-after-caret",
        "RAPID^3Vincent van der Berg, Ludwig van Beethoven",
        "RAPID^3",
        "Vincent van der Berg",
        "Ludwig van Beethoven",
    ),
    _case(
        "particle-hyphen", "Philosophy of MindAli al-Farabi", "Philosophy of Mind", "Ali al-Farabi"
    ),
    _case(
        "particle-glued-lowercase",
        "Neural Symphoniesvan der Berg, Jane Doe",
        "Neural Symphonies",
        "van der Berg",
        "Jane Doe",
        certain=False,
    ),
    _case(
        "particle-glued-longest",
        "Modelli Neuralidella Rosa",
        "Modelli Neurali",
        "della Rosa",
        certain=False,
    ),
    # hyphenated given names
    _case(
        "jean-baptiste-after-paren",
        "Sparse Mixtures (Revisited)Jean-Baptiste Say",
        "Sparse Mixtures (Revisited)",
        "Jean-Baptiste Say",
    ),
    _case(
        "jean-baptiste-after-text-to-image",
        "Guided Text-to-ImageJean-Baptiste Say",
        "Guided Text-to-Image",
        "Jean-Baptiste Say",
    ),
    _case(
        "jean-baptiste-second",
        "Exclusive Self AttentionShuangfei Zhai, Jean-Baptiste Say",
        "Exclusive Self Attention",
        "Shuangfei Zhai",
        "Jean-Baptiste Say",
    ),
    # prefixed capitals
    _case(
        "mckenzie-after-bert",
        "Masked Pretraining with BERTMcKenzie Smith, Jane Doe",
        "Masked Pretraining with BERT",
        "McKenzie Smith",
        "Jane Doe",
    ),
    _case(
        "mackenzie-after-llms",
        "Fine-Tuning LLMsMacKenzie Davis",
        "Fine-Tuning LLMs",
        "MacKenzie Davis",
    ),
    _case(
        "lecun-after-digit",
        "Scaling Laws for GPT-4Yann LeCun, Ronan McDonald",
        "Scaling Laws for GPT-4",
        "Yann LeCun",
        "Ronan McDonald",
    ),
    _case(
        "obrien-after-lowercase",
        "Training Compute-Optimal Language modelsSeán O'Brien",
        "Training Compute-Optimal Language models",
        "Seán O'Brien",
    ),
    _case(
        "obrien-second",
        "Diffusion for AudioZoë Müller, Seán O'Brien",
        "Diffusion for Audio",
        "Zoë Müller",
        "Seán O'Brien",
    ),
    _case(
        "dicaprio-et-al",
        "Revisiting ResNetLeonardo DiCaprio et al.",
        "Revisiting ResNet",
        "Leonardo DiCaprio",
        truncated=True,
    ),
    _case(
        "dicaprio-after-number",
        "Top-1 Accuracy at 99Leonardo DiCaprio",
        "Top-1 Accuracy at 99",
        "Leonardo DiCaprio",
    ),
    _case(
        "d-apostrophe", "Models of ProteinsGiulia D'Angelo", "Models of Proteins", "Giulia D'Angelo"
    ),
    # suffixes
    _case(
        "jr-suffix",
        "A Study of MLPsJohn Smith Jr., Jane Roe",
        "A Study of MLPs",
        "John Smith Jr.",
        "Jane Roe",
    ),
    _case(
        "jr-after-comma",
        "A Study of MLPsJohn Smith, Jr., Jane Roe",
        "A Study of MLPs",
        "John Smith, Jr.",
        "Jane Roe",
    ),
    _case(
        "jr-on-last-author",
        "A Study of MLPsJane Roe, John Smith, Jr. et al.",
        "A Study of MLPs",
        "Jane Roe",
        "John Smith, Jr.",
        truncated=True,
    ),
    # initials
    _case(
        "middle-initial-after-acronym",
        "Deep Learning for RNNsGraham W. Taylor",
        "Deep Learning for RNNs",
        "Graham W. Taylor",
    ),
    _case(
        "leading-initials",
        "Sequence LearningJ.R.R. Tolkien, A. N. Other",
        "Sequence Learning",
        "J.R.R. Tolkien",
        "A. N. Other",
    ),
    # title endings, camel case, commas in titles
    _case(
        "title-ends-paren",
        "Vision Transformers (ViT)Alexey Dosovitskiy et al.",
        "Vision Transformers (ViT)",
        "Alexey Dosovitskiy",
        truncated=True,
    ),
    _case(
        "title-ends-digit",
        "Towards 3D Scene Understanding in 2024Alaaeldin El-Nouby",
        "Towards 3D Scene Understanding in 2024",
        "Alaaeldin El-Nouby",
    ),
    _case(
        "title-ends-lowercase",
        "How PARTs assemble into wholesMelika Ayoughi",
        "How PARTs assemble into wholes",
        "Melika Ayoughi",
    ),
    _case("title-ends-question", "What Is Ørsted?Ægir Ørsted", "What Is Ørsted?", "Ægir Ørsted"),
    _case(
        "title-ends-camel-acronym",
        "ParaTAA: Parallel Sampling with ParaTAAJiazheng Xing",
        "ParaTAA: Parallel Sampling with ParaTAA",
        "Jiazheng Xing",
    ),
    _case(
        "title-starflow-v",
        "STARFlow-VMiguel Angel Bautista, Martin Bertran Lopez",
        "STARFlow-V",
        "Miguel Angel Bautista",
        "Martin Bertran Lopez",
    ),
    _case(
        "title-autofocusformer",
        "AutoFocusFormerJean-Francois Ton",
        "AutoFocusFormer",
        "Jean-Francois Ton",
    ),
    _case(
        "title-fpsattention-team",
        "FPSAttentionInferix Team, Tianyu Feng",
        "FPSAttention",
        "Inferix Team",
        "Tianyu Feng",
    ),
    _case(
        "title-with-comma",
        "Attention, Please: A StudyJohn Smith, Jane Doe",
        "Attention, Please: A Study",
        "John Smith",
        "Jane Doe",
    ),
    _case(
        "title-with-comma-and-camel",
        "Hello FooBar Baz, Something ElseJohn Smith",
        "Hello FooBar Baz, Something Else",
        "John Smith",
    ),
    _case(
        "title-with-thousands",
        "Learning from 1,000 ExamplesJohn Smith",
        "Learning from 1,000 Examples",
        "John Smith",
    ),
    # et al. and tags
    _case(
        "single-author",
        "Diffusion Beats GANs on Image SynthesisPrafulla Dhariwal",
        "Diffusion Beats GANs on Image Synthesis",
        "Prafulla Dhariwal",
    ),
    _case(
        "et-al-no-dot",
        "Denoising Diffusion Probabilistic ModelsJonathan Ho, Ajay Jain et al",
        "Denoising Diffusion Probabilistic Models",
        "Jonathan Ho",
        "Ajay Jain",
        truncated=True,
    ),
    _case(
        "et-al-no-dot-tags",
        "Doubly Convolutional NetworksNana Li et al · apple-ml, meta-ai",
        "Doubly Convolutional Networks",
        "Nana Li",
        truncated=True,
        orgs=("apple-ml", "meta-ai"),
    ),
    _case(
        "comma-et-al",
        "Some TitleJohn Smith, Jane Doe, et al.",
        "Some Title",
        "John Smith",
        "Jane Doe",
        truncated=True,
    ),
    _case(
        "tags-without-et-al",
        "Transferable Visual ModelsAlec Radford, Jong Wook Kim · openai",
        "Transferable Visual Models",
        "Alec Radford",
        "Jong Wook Kim",
        orgs=("openai",),
    ),
    _case(
        "surrounding-whitespace",
        "  Some TitleJohn Smith et al.  ",
        "Some Title",
        "John Smith",
        truncated=True,
    ),
    # best guesses: certain=False, no text lost
    _case(
        "mononym", "Exclusive Self AttentionZhai", "Exclusive Self Attention", "Zhai", certain=False
    ),
    _case(
        "mononym-beats-later-hyphen",
        "Exclusive Self AttentionShuangfei, Jean-Baptiste Say",
        "Exclusive Self Attention",
        "Shuangfei",
        "Jean-Baptiste Say",
        certain=False,
    ),
    _case(
        "all-caps-author",
        "TitleJOHN SMITH, Jane Doe",
        "Title",
        "JOHN SMITH",
        "Jane Doe",
        certain=False,
    ),
    _case(
        "org-author",
        "GPT-4 Technical ReportOpenAI, Josh Achiam",
        "GPT-4 Technical Report",
        "OpenAI",
        "Josh Achiam",
        certain=False,
    ),
    _case("no-authors", "a title in lowercase only", "a title in lowercase only", certain=False),
    _case("empty", "", "", certain=False),
    _case("only-et-al", "et al.", "", truncated=True, certain=False),
]


@pytest.mark.parametrize(("line", "expected"), CONSTRUCTED)
def test_constructed_lines(line: str, expected: GluedSplit) -> None:
    assert split_glued(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kaiwen Yang, Yanchao Sun, Jiahao Su et al. · uw",
            AuthorLine(("Kaiwen Yang", "Yanchao Sun", "Jiahao Su"), True, ("uw",)),
        ),
        ("Shuangfei Zhai", AuthorLine(("Shuangfei Zhai",), False, ())),
        (
            "Jiatao Gu, Shuangfei Zhai et al · apple-ml, meta-ai",
            AuthorLine(("Jiatao Gu", "Shuangfei Zhai"), True, ("apple-ml", "meta-ai")),
        ),
        ("Inferix Team, Tianyu Feng", AuthorLine(("Inferix Team", "Tianyu Feng"), False, ())),
        (
            "John Smith, Jr., Ludwig van Beethoven",
            AuthorLine(("John Smith, Jr.", "Ludwig van Beethoven"), False, ()),
        ),
        ("Jane Doe,  John Roe ,", AuthorLine(("Jane Doe", "John Roe"), False, ())),
        ("Łukasz Kaiser · ", AuthorLine(("Łukasz Kaiser",), False, ())),
        ("  Zoë Müller et al.  ", AuthorLine(("Zoë Müller",), True, ())),
        ("", AuthorLine((), False, ())),
    ],
    ids=[
        "et-al-and-tag",
        "single",
        "et-al-no-dot-two-tags",
        "team",
        "jr-after-comma",
        "stray-commas",
        "empty-tags",
        "whitespace",
        "empty",
    ],
)
def test_parse_author_line(text: str, expected: AuthorLine) -> None:
    assert parse_author_line(text) == expected


PERSON_NAMES = [
    "Jiazheng Xing",
    "Qi Qian",
    "Graham W. Taylor",
    "Miguel Angel Bautista",
    "Martin Bertran Lopez",
    "Alaaeldin El-Nouby",
    "Jean-Francois Ton",
    "Jean-Baptiste Say",
    "Inferix Team",
    "Łukasz Kaiser",
    "Zoë Müller",
    "Ægir Ørsted",
    "Šárka Ševčík",
    "Ludwig van Beethoven",
    "Maria de la Cruz",
    "Vincent van der Berg",
    "Yann LeCun",
    "Ronan McDonald",
    "McKenzie Smith",
    "Seán O'Brien",
    "Seán O\u2019Brien",
    "Leonardo DiCaprio",
    "John Smith Jr.",
    "John Smith, Jr.",
    "J.R.R. Tolkien",
    "Jean-Pierre J.-P. Serre",
]

NOT_PERSON_NAMES = [
    "",
    "Shuangfei",
    "AdaptationWangbo Zhao",
    "Kenzie",
    "for ViT",
    "Deep Learning 2.0",
    "How Far Are We?",
    "DyDiT++ Model",
    "RAPID^3 Policies",
    "Lumos-Nexus: Efficient",
    "Smith Jr.",
    "Jr. Smith",
    "van der",
    "John Smith et al.",
    "John SMITH",
    "john smith",
    "John, Smith",
    "Alpha Beta Gamma Delta Epsilon Zeta",
    "A. B.",
]


@pytest.mark.parametrize("name", PERSON_NAMES)
def test_looks_like_person_name_accepts(name: str) -> None:
    assert looks_like_person_name(name)


@pytest.mark.parametrize("text", NOT_PERSON_NAMES, ids=[repr(t) for t in NOT_PERSON_NAMES])
def test_looks_like_person_name_rejects(text: str) -> None:
    assert not looks_like_person_name(text)


_FRAGMENTS = st.sampled_from(
    [
        "Title", "ViT", "GPUs", "2.0", "?", "++", "^3", ")", "(", "McKenzie", "O'Brien", "van",
        "de", "Jean-Baptiste", "Zhai", "Smith", "Jr.", ", ", ",", " ", " et al.", " et al",
        " · ", "·", "apple-ml", "Łukasz", "Ørsted", "\u0308", "\t", "\n", "-", "'", ".", "A",
        "et", "al", "王",
    ]
)  # fmt: skip
_TEXTS = st.one_of(st.text(), st.lists(_FRAGMENTS, max_size=20).map("".join))


@given(_TEXTS)
def test_split_glued_never_raises_and_loses_no_text(text: str) -> None:
    result = split_glued(text)
    names = result.authors.names
    first = names[0] if names else ""
    assert text.strip().startswith(result.title + first)
    assert all(name for name in names)
    assert all(name in text for name in names)
    if result.certain:
        assert result.title
        assert looks_like_person_name(first)


_TITLES = st.sampled_from(
    [
        "Dynamic Tuning for ViT",
        "Scheduling on GPUs",
        "Python 2.0",
        "Are We There Yet?",
        "DyDiT++",
        "RAPID^3",
        "Vision Transformers (ViT)",
        "Scaling to GPT-4",
        "Learning on images",
        "Text-to-Image",
        "STARFlow-V",
        "AutoFocusFormer",
        "Large VLMs",
        "Pretraining BERT",
    ]
)
_NAMES = st.sampled_from(
    [
        "Jiazheng Xing",
        "Graham W. Taylor",
        "Miguel Angel Bautista",
        "Alaaeldin El-Nouby",
        "Jean-Baptiste Say",
        "Inferix Team",
        "Łukasz Kaiser",
        "Ægir Ørsted",
        "Ludwig van Beethoven",
        "Maria de la Cruz",
        "Yann LeCun",
        "McKenzie Smith",
        "Seán O'Brien",
        "Leonardo DiCaprio",
        "John Smith Jr.",
    ]
)


@given(
    _TITLES,
    st.lists(_NAMES, min_size=1, max_size=4),
    st.booleans(),
    st.lists(st.sampled_from(["apple-ml", "meta-ai", "stanford"]), max_size=2),
)
def test_split_glued_recovers_composed_lines(
    title: str, names: list[str], truncated: bool, orgs: list[str]
) -> None:
    line = title + ", ".join(names) + (" et al." if truncated else "")
    if orgs:
        line += " · " + ", ".join(orgs)
    expected = GluedSplit(title, AuthorLine(tuple(names), truncated, tuple(orgs)), certain=True)
    assert split_glued(line) == expected
