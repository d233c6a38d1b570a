"""The arXiv API look-alike of tests/arxiv_server.py, tested over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests

from citetools.normalize.scraped import decode_scraped
from tests import arxiv_server as server_module
from tests.arxiv_server import (
    ARXIV_NS,
    ATOM_NS,
    OPENSEARCH_NS,
    ArxivServer,
    BinOp,
    Paper,
    QuerySyntaxError,
    Term,
    load_corpus,
    parse_id,
    parse_query,
    unused_url,
)
from tests.helpers import ROOT, SEEDS, normalized

arxiv_server = server_module.arxiv_server  # the fixture, as a conftest would import it

NS = {"atom": ATOM_NS, "arxiv": ARXIV_NS, "opensearch": OPENSEARCH_NS}
SAMPLES = ROOT / "tests" / "fixtures" / "arxiv-samples"  # the committed copy of the recordings
FIXTURES = Path(server_module.__file__).parent / "fixtures" / "arxiv"
FIXED = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)
CORPUS = load_corpus()
LUMOS_NEXUS = "2605.31603"


def paper_id(title_start: str, *, distractor: bool = False) -> str:
    (match,) = [
        p.id for p in CORPUS if p.title.startswith(title_start) and p.distractor == distractor
    ]
    return match


LUMOS_1 = paper_id("Lumos-1:")
LUMOS_2 = paper_id("Lumos-2:", distractor=True)
BLOCKVID = paper_id("BlockVid:")


# ---- reading feeds: one navigation for the server's output and the recorded samples


def collapse(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def read_feed(data: bytes) -> dict:
    root = ET.fromstring(data)
    assert root.tag == f"{{{ATOM_NS}}}feed"
    entries = []
    for e in root.findall("atom:entry", NS):
        primary = e.find("arxiv:primary_category", NS)
        entries.append(
            {
                "id": e.findtext("atom:id", namespaces=NS),
                "title": collapse(e.findtext("atom:title", namespaces=NS)),
                "raw_title": e.findtext("atom:title", namespaces=NS),
                "summary": collapse(e.findtext("atom:summary", namespaces=NS)),
                "raw_summary": e.findtext("atom:summary", namespaces=NS),
                "published": e.findtext("atom:published", namespaces=NS),
                "updated": e.findtext("atom:updated", namespaces=NS),
                "authors": [
                    (
                        a.findtext("atom:name", namespaces=NS),
                        a.findtext("arxiv:affiliation", namespaces=NS),
                    )
                    for a in e.findall("atom:author", NS)
                ],
                "categories": [c.get("term") for c in e.findall("atom:category", NS)],
                "primary": None if primary is None else primary.get("term"),
                "comment": e.findtext("arxiv:comment", namespaces=NS),
                "journal_ref": e.findtext("arxiv:journal_ref", namespaces=NS),
                "doi": e.findtext("arxiv:doi", namespaces=NS),
                "links": {
                    (link.get("rel"), link.get("title")): link.get("href")
                    for link in e.findall("atom:link", NS)
                },
            }
        )
    return {
        "id": root.findtext("atom:id", namespaces=NS),
        "title": root.findtext("atom:title", namespaces=NS),
        "updated": root.findtext("atom:updated", namespaces=NS),
        "total": int(root.findtext("opensearch:totalResults", namespaces=NS)),
        "start": int(root.findtext("opensearch:startIndex", namespaces=NS)),
        "items": int(root.findtext("opensearch:itemsPerPage", namespaces=NS)),
        "entries": entries,
    }


def bare(entry: dict) -> str:
    """``http://arxiv.org/abs/2605.31603v1`` -> ``2605.31603``."""
    return re.sub(r"v\d+$", "", entry["id"].split("/abs/", 1)[1])


def ids_of(feed: dict) -> list[str]:
    return [bare(e) for e in feed["entries"]]


def get(server: ArxivServer, **params) -> tuple[requests.Response, dict]:
    response = requests.get(server.url, params=params, timeout=5)
    return response, read_feed(response.content)


def search(server: ArxivServer, query: str, **params) -> set[str]:
    response, feed = get(server, search_query=query, max_results=2000, **params)
    assert response.status_code == 200, response.text
    assert feed["total"] == len(feed["entries"])
    assert not is_error(feed), feed["entries"][0]["summary"]
    return set(ids_of(feed))


def is_error(feed: dict) -> bool:
    return any("/api/errors" in e["id"] for e in feed["entries"])


def shape(elem: ET.Element) -> tuple:
    """Tag, attribute names and children's shapes, runs of equal children collapsed."""
    children: list[tuple] = []
    for child in elem:
        s = shape(child)
        if not children or children[-1] != s:
            children.append(s)
    return elem.tag, tuple(sorted(elem.attrib)), tuple(children)


# ---- id_list


def test_id_list_bare_id(arxiv_server):
    response, feed = get(arxiv_server, id_list=LUMOS_NEXUS)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    assert feed["total"] == 1
    (entry,) = feed["entries"]
    assert entry["id"] == f"http://arxiv.org/abs/{LUMOS_NEXUS}v1"
    assert entry["title"].startswith("Lumos-Nexus: Efficient Frequency Bridging")
    assert entry["published"] == entry["updated"] == "2026-05-29T17:59:46Z"
    assert entry["authors"][:3] == [
        ("Jiazheng Xing", None),
        ("Hangjie Yuan", None),
        ("Lingling Cai", None),
    ]
    assert len(entry["authors"]) > 3  # the listing's "et al." filled in
    assert entry["primary"] == "cs.CV" == entry["categories"][0]
    assert entry["links"][("alternate", None)] == f"https://arxiv.org/abs/{LUMOS_NEXUS}v1"
    assert entry["links"][("related", "pdf")] == f"https://arxiv.org/pdf/{LUMOS_NEXUS}v1"


def test_id_list_versions():
    paper = next(p for p in CORPUS if p.id == LUMOS_1)
    assert paper.version == 2
    with ArxivServer.start(corpus=CORPUS) as server:
        _, latest = get(server, id_list=LUMOS_1)
        _, v2 = get(server, id_list=f"{LUMOS_1}v2")
        _, v1 = get(server, id_list=f"{LUMOS_1}v1")
        _, v3 = get(server, id_list=f"{LUMOS_1}v3")
    assert latest["entries"] == v2["entries"]
    assert latest["entries"][0]["id"].endswith(f"{LUMOS_1}v2")
    assert latest["entries"][0]["updated"] == paper.updated != paper.published
    assert v1["entries"][0]["id"] == f"http://arxiv.org/abs/{LUMOS_1}v1"
    assert v1["entries"][0]["updated"] == paper.published
    assert v3["total"] == 0  # a version that does not exist yet


@pytest.mark.parametrize(
    ("requested", "served"),
    [
        ("hep-th/9901001", "http://arxiv.org/abs/hep-th/9901001v1"),
        ("hep-th/9901001v1", "http://arxiv.org/abs/hep-th/9901001v1"),
        ("cs/0406012", "http://arxiv.org/abs/cs/0406012v2"),
        ("cs.LG/0406012", "http://arxiv.org/abs/cs/0406012v2"),
    ],
)
def test_id_list_old_style(arxiv_server, requested, served):
    _, feed = get(arxiv_server, id_list=requested)
    assert [e["id"] for e in feed["entries"]] == [served]
    assert feed["entries"][0]["links"][("related", "pdf")].startswith("https://arxiv.org/pdf/")


def test_unknown_ids_are_simply_absent(arxiv_server):
    response, feed = get(arxiv_server, id_list="0000.0000")
    assert response.status_code == 200
    assert feed["total"] == 0 and feed["entries"] == []
    _, feed = get(arxiv_server, id_list=f"0808.05394,{LUMOS_NEXUS},9912.99999")
    assert ids_of(feed) == [LUMOS_NEXUS]
    assert feed["total"] == 1


@pytest.mark.parametrize("bad", ["abc", "1309.119", "2605.31603v", "hep-th/99010", "2605-31603"])
def test_malformed_id_gives_error_entry_http400(arxiv_server, bad):
    response, feed = get(arxiv_server, id_list=f"{LUMOS_NEXUS},{bad}")
    assert response.status_code == 400
    assert feed["total"] == 1
    (entry,) = feed["entries"]
    assert entry["title"] == "Error"
    assert entry["authors"] == [("arXiv api core", None)]
    assert entry["id"] == f"https://arxiv.org/api/errors#incorrect_id_format_for_{bad}"
    assert entry["summary"] == f"incorrect id format for {bad}"


def test_malformed_id_status_is_configurable():
    with ArxivServer.start(corpus=CORPUS, id_error_status=200) as server:
        response, feed = get(server, id_list="abc")
    assert response.status_code == 200
    assert is_error(feed)


def test_parse_id():
    assert parse_id("2605.31603v3") == ("2605.31603", 3)
    assert parse_id("1309.2284") == ("1309.2284", None)
    assert parse_id("math.CO/0601001v2") == ("math/0601001", 2)
    assert parse_id("hep-th/9901001") == ("hep-th/9901001", None)
    for bad in ("abc", "1309.119", "2605.316031", "HEP-TH/9901001", "hep-th/990100", ""):
        assert parse_id(bad) is None, bad


def test_order_is_the_servers_not_the_requests(arxiv_server):
    wanted = sorted([LUMOS_NEXUS, LUMOS_1, BLOCKVID, "hep-th/9901001", "1309.2284"])
    _, feed = get(arxiv_server, id_list=",".join(wanted))
    assert sorted(ids_of(feed)) == wanted
    assert ids_of(feed) != wanted
    assert ids_of(feed) == [LUMOS_NEXUS, BLOCKVID, LUMOS_1, "1309.2284", "hep-th/9901001"]
    _, again = get(arxiv_server, id_list=",".join(reversed(wanted)))
    assert ids_of(again) == ids_of(feed)  # the request's order does not matter at all


def test_seeded_shuffle_order():
    wanted = [p.id for p in CORPUS[:30]]
    orders = []
    for seed in (1, 1, 2):
        with ArxivServer.start(corpus=CORPUS, order="shuffle", seed=seed) as server:
            _, feed = get(server, id_list=",".join(wanted), max_results=100)
        assert sorted(ids_of(feed)) == sorted(wanted)
        orders.append(ids_of(feed))
    assert orders[0] == orders[1] != orders[2]
    assert orders[0] != wanted


# ---- the query language


def test_title_prefix_and_case_insensitivity(arxiv_server):
    assert search(arxiv_server, "ti:lumos") == {LUMOS_NEXUS, LUMOS_1, LUMOS_2}
    assert search(arxiv_server, "ti:LUMOS") == {LUMOS_NEXUS, LUMOS_1, LUMOS_2}


def test_and_or_andnot(arxiv_server):
    assert search(arxiv_server, 'ti:lumos AND au:"Jiazheng Xing"') == {LUMOS_NEXUS, LUMOS_2}
    assert search(arxiv_server, "ti:lumos ANDNOT ti:nexus") == {LUMOS_1, LUMOS_2}
    assert search(arxiv_server, "ti:lumos OR ti:blockvid") == {
        LUMOS_NEXUS,
        LUMOS_1,
        LUMOS_2,
        BLOCKVID,
    }
    # side by side means AND
    assert search(arxiv_server, "ti:lumos ti:nexus") == {LUMOS_NEXUS}
    # lower-case "andnot" is a word (searched in all fields), not an operator
    assert search(arxiv_server, "ti:lumos andnot ti:nexus") == set()


def test_precedence_and_parentheses(arxiv_server):
    # AND binds tighter than OR
    assert search(arxiv_server, "ti:blockvid OR ti:lumos AND ti:nexus") == {BLOCKVID, LUMOS_NEXUS}
    assert search(arxiv_server, "(ti:blockvid OR ti:lumos) AND ti:nexus") == {LUMOS_NEXUS}
    assert search(arxiv_server, "(ti:blockvid OR ti:lumos) ANDNOT (ti:nexus OR ti:1)") == {
        BLOCKVID,
        LUMOS_2,
    }
    assert search(arxiv_server, "((ti:lumos))") == {LUMOS_NEXUS, LUMOS_1, LUMOS_2}
    # a prefix on a group applies to the terms inside
    assert search(arxiv_server, "ti:(blockvid OR nexus)") == {BLOCKVID, LUMOS_NEXUS}


def test_phrases(arxiv_server):
    assert search(arxiv_server, 'ti:"homogeneous latent space"') == {LUMOS_NEXUS}
    assert search(arxiv_server, 'ti:"space latent homogeneous"') == set()
    # punctuation is ignored inside phrases and terms: Lumos-Nexus, Lumos-1
    assert search(arxiv_server, 'ti:"lumos nexus"') == {LUMOS_NEXUS}
    assert search(arxiv_server, "ti:Lumos-Nexus") == {LUMOS_NEXUS}
    assert search(arxiv_server, 'ti:"Lumos-1"') == {LUMOS_1}
    # a bare phrase searches every field
    assert LUMOS_1 in search(arxiv_server, '"autoregressive discrete diffusion forcing"')


def test_author_prefix(arxiv_server):
    xing = search(arxiv_server, "au:Xing")
    assert {LUMOS_NEXUS, LUMOS_2} <= xing
    assert len(xing) > 2  # Jun Xing of the profile listing too
    assert search(arxiv_server, 'au:"Jiazheng Xing"') == {LUMOS_NEXUS, LUMOS_2}
    assert search(arxiv_server, "au:Jiazheng_Xing") == {LUMOS_NEXUS, LUMOS_2}
    assert search(arxiv_server, 'au:"Xing Jiazheng"') == set()
    assert search(arxiv_server, "au:Xin") & {LUMOS_NEXUS} == set()  # words, not substrings


def test_accents_are_folded(arxiv_server):
    assert search(arxiv_server, "au:Muller") == {"hep-th/9901001"}
    assert search(arxiv_server, "au:Müller") == {"hep-th/9901001"}
    assert search(arxiv_server, "au:Lazarska") == {"cs/0406012"}
    assert search(arxiv_server, 'au:"jurgen kohler"') == {"hep-th/9901001", "cs/0406012"}
    assert search(arxiv_server, "au:KÖHLER") == {"hep-th/9901001", "cs/0406012"}


def test_other_prefixes(arxiv_server):
    assert {LUMOS_1, LUMOS_2} <= search(arxiv_server, 'abs:"MM-RoPE"')
    assert LUMOS_NEXUS not in search(arxiv_server, "abs:MM-RoPE")
    assert search(arxiv_server, 'co:"CVPR 2019"') == {paper_id("Camera Lens Super-Resolution")}
    assert search(arxiv_server, 'jr:"Machine Learning Research"') == {
        paper_id("Domain-Adversarial Training")
    }
    assert search(arxiv_server, "cat:hep-th") == {"hep-th/9901001"}
    cs_it = search(arxiv_server, "cat:CS.IT")
    assert cs_it == {p.id for p in CORPUS if "cs.IT" in p.categories}
    assert paper_id("Quantization Networks", distractor=True) in cs_it
    assert search(arxiv_server, "cat:quant-ph") == {
        p.id for p in CORPUS if "quant-ph" in p.categories
    }
    assert search(arxiv_server, "cat:physics.*") == {
        p.id for p in CORPUS if any(c.startswith("physics.") for c in p.categories)
    }
    assert search(arxiv_server, f"id:{LUMOS_NEXUS}") == {LUMOS_NEXUS}
    assert search(arxiv_server, f"id:{LUMOS_NEXUS}v1") == {LUMOS_NEXUS}
    assert search(arxiv_server, "id:hep-th/9901001") == {"hep-th/9901001"}
    assert search(arxiv_server, "rn:CERN-TH-99") == set()


def test_all_and_bare_terms(arxiv_server):
    nexus = search(arxiv_server, "all:nexus")
    assert nexus == search(arxiv_server, "nexus") == {LUMOS_NEXUS}
    # all: covers authors and comments as well
    assert search(arxiv_server, "all:Lazarska") == {"cs/0406012"}
    assert paper_id("Camera Lens Super-Resolution") in search(arxiv_server, 'all:"CVPR 2019"')


def test_plus_in_url_is_a_space(arxiv_server):
    target = f"{arxiv_server.url}?search_query=ti:lumos+AND+ti:nexus&max_results=5"
    feed = read_feed(requests.get(target, timeout=5).content)
    assert ids_of(feed) == [LUMOS_NEXUS]
    target = f"{arxiv_server.url}?search_query=ti:%22homogeneous+latent+space%22"
    assert ids_of(read_feed(requests.get(target, timeout=5).content)) == [LUMOS_NEXUS]


def test_search_query_filters_id_list(arxiv_server):
    ids = ",".join([LUMOS_NEXUS, LUMOS_1, BLOCKVID])
    _, feed = get(arxiv_server, id_list=ids, search_query="ti:lumos")
    assert set(ids_of(feed)) == {LUMOS_NEXUS, LUMOS_1}
    assert feed["total"] == 2


def test_hyphen_as_not_pitfall():
    with ArxivServer.start(corpus=CORPUS, hyphen_as_not=True) as server:
        # "Lumos-Nexus" becomes "lumos ANDNOT nexus"
        assert search(server, "ti:Lumos-Nexus") == {LUMOS_1, LUMOS_2}
        assert search(server, 'ti:"Lumos-Nexus"') == {LUMOS_NEXUS}


def test_non_ascii_pitfall():
    with ArxivServer.start(corpus=CORPUS, reject_non_ascii=True) as server:
        response, feed = get(server, search_query="au:Müller")
        assert response.status_code == 400 and is_error(feed)
        assert search(server, "au:Muller") == {"hep-th/9901001"}


@pytest.mark.parametrize(
    "query",
    [
        "(ti:lumos",
        "ti:lumos)",
        "ti:lumos AND",
        "AND ti:lumos",
        "ti:lumos OR OR ti:nexus",
        "xx:lumos",
        "ti:lumos:nexus",
        'ti:"lumos nexus',
        "()",
        "ti:",
        'ti:""',
    ],
)
def test_syntax_errors_give_an_error_feed_with_http200(arxiv_server, query):
    response, feed = get(arxiv_server, search_query=query)
    assert response.status_code == 200
    assert feed["total"] == 1
    (entry,) = feed["entries"]
    assert entry["title"] == "Error"
    assert entry["id"] == "https://arxiv.org/api/errors#malformed_query"
    assert entry["summary"].startswith("syntax error in search_query")
    assert entry["authors"] == [("arXiv api core", None)]


def test_syntax_error_status_is_configurable():
    with ArxivServer.start(corpus=CORPUS, query_error_status=400) as server:
        response, feed = get(server, search_query="(ti:lumos")
    assert response.status_code == 400 and is_error(feed)


def test_parse_query_tree():
    node = parse_query('ti:a OR au:"B c" AND NOT ANDNOT (abs:d)')
    assert node == BinOp(
        "OR",
        Term("ti", "a", ("a",)),
        BinOp(
            "ANDNOT",
            BinOp(
                "AND",
                Term("au", "B c", ("b", "c"), phrase=True),
                Term("all", "NOT", ("not",)),
            ),
            Term("abs", "d", ("d",)),
        ),
    )
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("ti:a AND (au:b")
    assert info.value.offset == 9


# ---- paging and limits


def test_paging(arxiv_server):
    everything = search(arxiv_server, "cat:cs.CV")
    assert len(everything) > 25
    seen: list[str] = []
    for start in range(0, len(everything), 7):
        _, feed = get(arxiv_server, search_query="cat:cs.CV", start=start, max_results=7)
        assert feed["total"] == len(everything)
        assert feed["start"] == start
        assert feed["items"] == 7
        assert len(feed["entries"]) == min(7, len(everything) - start)
        seen += ids_of(feed)
    assert len(seen) == len(set(seen)) and set(seen) == everything
    _, past_the_end = get(arxiv_server, search_query="cat:cs.CV", start=len(everything))
    assert past_the_end["total"] == len(everything) and past_the_end["entries"] == []


def test_default_page_size_is_10(arxiv_server):
    _, feed = get(arxiv_server, search_query="cat:cs.CV")
    assert feed["items"] == 10 and len(feed["entries"]) == 10 and feed["total"] > 10


def test_max_results_limit(arxiv_server):
    response, feed = get(arxiv_server, search_query="cat:cs.CV", max_results=2000)
    assert response.status_code == 200 and not is_error(feed)
    response, feed = get(arxiv_server, search_query="cat:cs.CV", max_results=2001)
    assert response.status_code == 400 and is_error(feed)
    assert "2000" in feed["entries"][0]["summary"]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "x"},
        {"start": "-1"},
        {"max_results": "ten"},
        {"max_results": "-5"},
        {"start": "29000", "max_results": "1001"},
        {"sortBy": "date"},
        {"sortOrder": "up"},
    ],
)
def test_bad_parameters_give_http400_error_feed(arxiv_server, params):
    response, feed = get(arxiv_server, search_query="ti:lumos", **params)
    assert response.status_code == 400
    assert is_error(feed) and feed["total"] == 1


def test_sort_by_dates(arxiv_server):
    for sort_by, attr in (("submittedDate", "published"), ("lastUpdatedDate", "updated")):
        for order in ("ascending", "descending"):
            _, feed = get(
                arxiv_server,
                search_query="cat:cs.LG",
                sortBy=sort_by,
                sortOrder=order,
                max_results=50,
            )
            stamps = [e[attr] for e in feed["entries"]]
            assert stamps == sorted(stamps, reverse=order == "descending")


# ---- GET, POST and long URLs


def test_post_equals_get():
    params = {
        "search_query": 'ti:lumos OR au:"Shuangfei Zhai"',
        "id_list": "",
        "start": "2",
        "max_results": "8",
    }
    with ArxivServer.start(corpus=CORPUS, clock=lambda: FIXED) as server:
        got = requests.get(server.url, params=params, timeout=5)
        posted = requests.post(server.url, data=params, timeout=5)
        log = server.log
    assert got.status_code == posted.status_code == 200
    assert got.content == posted.content
    assert len(read_feed(got.content)["entries"]) == 8
    assert [r.method for r in log] == ["GET", "POST"]
    assert log[0].params == log[1].params == params


def test_long_get_gets_414_and_post_works(arxiv_server):
    many = [p.id for p in CORPUS]
    id_list = ",".join(many)
    assert len(id_list) > 2000
    response = requests.get(arxiv_server.url, params={"id_list": id_list}, timeout=5)
    assert response.status_code == 414
    response = requests.post(
        arxiv_server.url, data={"id_list": id_list, "max_results": 2000}, timeout=5
    )
    assert response.status_code == 200
    assert read_feed(response.content)["total"] == len(many)
    assert [r.status for r in arxiv_server.log] == [414, 200]


def test_url_length_limit_is_configurable():
    with ArxivServer.start(corpus=CORPUS, max_url_length=60) as server:
        assert requests.get(server.url, params={"id_list": LUMOS_NEXUS}, timeout=5).ok
        long_list = ",".join([LUMOS_NEXUS] * 5)
        response = requests.get(server.url, params={"id_list": long_list}, timeout=5)
        assert response.status_code == 414


def test_other_paths_are_404(arxiv_server):
    response = requests.get(arxiv_server.base_url + "/abs/2605.31603", timeout=5)
    assert response.status_code == 404


# ---- faults


def test_status_faults_then_normal(arxiv_server):
    arxiv_server.faults.status(429, headers={"Retry-After": "7"}).status(500).status(
        503, body="busy"
    )
    responses = [
        requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5) for _ in range(4)
    ]
    assert [r.status_code for r in responses] == [429, 500, 503, 200]
    assert responses[0].headers["Retry-After"] == "7"
    assert "Retry-After" not in responses[1].headers
    assert responses[1].text == "Internal Server Error"
    assert responses[2].text == "busy"
    assert [r.fault for r in arxiv_server.log] == ["status", "status", "status", None]
    arxiv_server.assert_faults_consumed()


@pytest.mark.parametrize("status", [503, 429, 200])
def test_rate_exceeded(arxiv_server, status):
    arxiv_server.faults.rate_exceeded(status=status, retry_after=3)
    response = requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5)
    assert response.status_code == status
    assert response.text == "Rate exceeded."
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["Retry-After"] == "3"
    with pytest.raises(ET.ParseError):
        ET.fromstring(response.content)


def test_rate_exceeded_default_and_times(arxiv_server):
    arxiv_server.faults.rate_exceeded(times=2)
    assert arxiv_server.faults.pending == 2
    statuses = [
        requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5).status_code
        for _ in range(3)
    ]
    assert statuses == [503, 503, 200]
    assert "Retry-After" not in requests.get(arxiv_server.url, timeout=5).headers


def test_error_entry_fault(arxiv_server):
    arxiv_server.faults.error_entry("incorrect id format for 1309.119")
    response, feed = get(arxiv_server, id_list=LUMOS_NEXUS)
    assert response.status_code == 200
    assert feed["total"] == 1
    (entry,) = feed["entries"]
    assert entry["id"] == "https://arxiv.org/api/errors#incorrect_id_format_for_1309.119"
    assert (entry["title"], entry["summary"]) == ("Error", "incorrect id format for 1309.119")
    arxiv_server.faults.error_entry("something broke", status=500)
    response, feed = get(arxiv_server, id_list=LUMOS_NEXUS)
    assert response.status_code == 500 and is_error(feed)


def test_malformed_xml_fault(arxiv_server):
    arxiv_server.faults.malformed_xml()
    response = requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5)
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(response.content)


def test_empty_feed_fault(arxiv_server):
    arxiv_server.faults.empty_feed()
    _, empty = get(arxiv_server, id_list=LUMOS_NEXUS)
    _, full = get(arxiv_server, id_list=LUMOS_NEXUS)
    assert (empty["total"], empty["entries"]) == (0, [])
    assert full["total"] == 1
    assert [r.entries for r in arxiv_server.log] == [(), (f"{LUMOS_NEXUS}v1",)]


def test_delay_fault_causes_read_timeout(arxiv_server):
    arxiv_server.faults.delay(1.0)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=(2, 0.2))
    assert time.monotonic() - started < 0.9
    response, feed = get(arxiv_server, id_list=LUMOS_NEXUS)
    assert response.ok and feed["total"] == 1
    assert [r.fault for r in arxiv_server.log] == ["delay", None]


def test_delay_fault_then_normal_answer(arxiv_server):
    arxiv_server.faults.delay(0.3)
    started = time.monotonic()
    response, feed = get(arxiv_server, id_list=LUMOS_NEXUS)
    assert time.monotonic() - started >= 0.3
    assert response.ok and feed["total"] == 1


def test_fault_with_stall_before_answer(arxiv_server):
    arxiv_server.faults.status(429, after=0.3)
    started = time.monotonic()
    response = requests.get(arxiv_server.url, timeout=5)
    assert response.status_code == 429 and time.monotonic() - started >= 0.3


def test_drop_fault(arxiv_server):
    arxiv_server.faults.drop()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5)
    assert requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5).ok
    assert [(r.status, r.fault) for r in arxiv_server.log] == [(None, "drop"), (200, None)]


def test_refused_connections(arxiv_server):
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(unused_url(), timeout=5)
    url = arxiv_server.url
    assert requests.get(url, timeout=5).ok
    arxiv_server.stop()
    assert not arxiv_server.running
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, timeout=5)
    arxiv_server.stop()  # idempotent


def test_reset_clears_log_and_faults(arxiv_server):
    arxiv_server.faults.rate_exceeded().drop().drop()
    assert requests.get(arxiv_server.url, timeout=5).status_code == 503
    assert len(arxiv_server.log) == 1 and arxiv_server.faults.pending == 2
    arxiv_server.reset()
    assert arxiv_server.log == [] and arxiv_server.faults.pending == 0
    assert requests.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5).ok


def test_fault_times_must_be_positive(arxiv_server):
    with pytest.raises(ValueError):
        arxiv_server.faults.drop(times=0)


# ---- the request log


def test_request_log(arxiv_server):
    headers = {"User-Agent": "citetools-test/0.1 (mailto:someone@example.org)"}
    with requests.Session() as session:
        session.headers.update(headers)
        session.get(arxiv_server.url, params={"id_list": LUMOS_NEXUS}, timeout=5)
        time.sleep(0.25)
        session.post(arxiv_server.url, data={"search_query": "ti:lumos"}, timeout=5)
    requests.get(arxiv_server.url, params={"id_list": "abc"}, timeout=5)
    log = arxiv_server.log
    assert len(log) == 3
    assert [r.method for r in log] == ["GET", "POST", "GET"]
    assert [r.status for r in log] == [200, 200, 400]
    assert all(r.path == "/api/query" for r in log)
    assert log[0].params == {"id_list": LUMOS_NEXUS}
    assert log[1].params == {"search_query": "ti:lumos"}
    assert log[1].body == b"search_query=ti%3Alumos"
    assert log[0].user_agent == log[1].user_agent == headers["User-Agent"]
    assert log[2].user_agent.startswith("python-requests/")
    assert log[0].headers["user-agent"] == headers["User-Agent"]
    assert log[1].time - log[0].time >= 0.25
    assert log[0].time < log[1].time < log[2].time <= time.monotonic()
    assert log[0].connection == log[1].connection != log[2].connection  # keep-alive
    assert [r.in_flight for r in log] == [1, 1, 1]
    assert log[0].entries == (f"{LUMOS_NEXUS}v1",)
    assert set(log[1].entries) == {f"{LUMOS_NEXUS}v1", f"{LUMOS_1}v2", f"{LUMOS_2}v1"}


def test_request_log_sees_concurrent_requests(arxiv_server):
    arxiv_server.faults.delay(0.3, times=2)
    threads = [
        threading.Thread(
            target=lambda: requests.get(arxiv_server.url, timeout=5).close(), daemon=True
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = arxiv_server.log
    assert len(log) == 2
    assert max(r.in_flight for r in log) == 2
    assert log[0].connection != log[1].connection


def test_served_helpers(arxiv_server):
    get(arxiv_server, id_list=f"{LUMOS_NEXUS},{LUMOS_1}v1")
    arxiv_server.assert_served([LUMOS_NEXUS, f"{LUMOS_1}v1", LUMOS_1])
    with pytest.raises(AssertionError, match=BLOCKVID):
        arxiv_server.assert_served([BLOCKVID])
    arxiv_server.faults.drop()
    with pytest.raises(AssertionError):
        arxiv_server.assert_faults_consumed()


# ---- wrapping


def test_wrap_like_the_2016_api():
    long_paper = LUMOS_NEXUS
    with ArxivServer.start(corpus=CORPUS, wrap=True) as server:
        _, wrapped = get(server, id_list=long_paper)
    with ArxivServer.start(corpus=CORPUS) as server:
        _, flat = get(server, id_list=long_paper)
    (w,) = wrapped["entries"]
    (f,) = flat["entries"]
    assert "\n  " in w["raw_title"] and "\n  " in w["raw_summary"]
    assert "\n" not in f["raw_title"] and "\n" not in f["raw_summary"]
    assert all(len(line) <= 82 for line in w["raw_summary"].split("\n"))
    assert (w["title"], w["summary"]) == (f["title"], f["summary"])
    assert f["raw_title"] == f["title"]


# ---- the same structure as the real recordings


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


RECORDED = sorted(p.name for p in SAMPLES.glob("*.xml"))


def test_the_committed_samples_are_the_indexed_recordings():
    """Every recording that index.json lists is there, whole (its recorded size), and no other:
    the copy in tests/fixtures is complete whatever folder the repository is cloned into."""
    index = json.loads(sample("index.json"))
    assert sorted(m["file"] for m in index) == RECORDED and len(RECORDED) == 11
    for meta in index:
        assert len(sample(meta["file"])) == meta["bytes"], meta["file"]


@pytest.mark.parametrize("name", RECORDED)
def test_every_recorded_sample_parses_with_the_same_navigation(name):
    feed = read_feed(sample(name))
    assert feed["total"] >= len(feed["entries"])
    for entry in feed["entries"]:
        assert entry["id"] and entry["title"] is not None and entry["summary"]
        if "/api/errors" in entry["id"]:
            assert entry["title"] == "Error"
            assert entry["authors"] == [("arXiv api core", None)]
            continue
        assert entry["id"].startswith("http://arxiv.org/abs/")
        assert parse_id(entry["id"].split("/abs/", 1)[1]) is not None
        assert entry["primary"] and entry["categories"] and entry["authors"]
        assert entry["published"] and entry["updated"]
        assert ("related", "pdf") in entry["links"]
        if entry["doi"]:
            assert entry["links"][("related", "doi")].endswith(entry["doi"])


def test_shape_matches_single_1707_08567(arxiv_server):
    recorded = sample("single-1707.08567.xml")
    # a corpus paper with the same optional parts: a comment, no journal ref, DOI, affiliation
    paper = next(p for p in CORPUS if p.id == paper_id("Camera Lens Super-Resolution"))
    assert paper.comment and not paper.journal_ref and not paper.doi
    assert not any(a.affiliation for a in paper.authors)
    params = {
        "search_query": "",
        "id_list": paper.id,
        "sortBy": "relevance",
        "sortOrder": "descending",
        "start": 0,
        "max_results": 100,
    }
    response = requests.get(arxiv_server.url, params=params, timeout=5)
    assert response.status_code == 200
    served = response.content
    assert shape(ET.fromstring(served)) == shape(ET.fromstring(recorded))
    # the same first two lines: XML declaration, namespaces declared once on <feed>
    assert served.splitlines()[:2] == recorded.splitlines()[:2]
    assert (
        ET.fromstring(recorded)
        .findtext("atom:title", namespaces=NS)
        .replace("1707.08567", paper.id)
        == read_feed(served)["title"]
    )
    ours, theirs = read_feed(served), read_feed(recorded)
    for feed in (ours, theirs):
        assert re.fullmatch(r"https://arxiv\.org/api/[A-Za-z0-9+/]{27}", feed["id"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", feed["updated"])
        assert (feed["total"], feed["start"], feed["items"]) == (1, 0, 100)
    assert set(ours["entries"][0]["links"]) == set(theirs["entries"][0]["links"])


def test_shape_matches_error_sample(arxiv_server):
    recorded = sample("error-incorrect-id-format-http400.xml")
    index = json.loads(sample("index.json"))
    (meta,) = [m for m in index if m["file"] == "error-incorrect-id-format-http400.xml"]
    response = requests.get(
        arxiv_server.url + "?" + meta["url"].split("?", 1)[1], timeout=5
    )  # the recorded request, verbatim
    assert response.status_code == meta["http_status"] == 400
    assert shape(ET.fromstring(response.content)) == shape(ET.fromstring(recorded))
    ours, theirs = read_feed(response.content), read_feed(recorded)
    for feed in (ours, theirs):
        feed.pop("updated")
        for entry in feed["entries"]:
            entry.pop("updated")
    assert ours == theirs


def test_shape_matches_empty_and_missing_samples(arxiv_server):
    empty = sample("empty-unknown-id-0000.0000.xml")
    response = requests.get(
        arxiv_server.url, params={"id_list": "0000.0000", "max_results": 100}, timeout=5
    )
    assert shape(ET.fromstring(response.content)) == shape(ET.fromstring(empty))
    assert read_feed(response.content)["title"] == read_feed(empty)["title"]
    two = sample("idlist-two-ids-one-missing.xml")
    response = requests.get(
        arxiv_server.url,
        params={"id_list": f"0808.05394,{paper_id('Camera Lens Super-Resolution')}"},
        timeout=5,
    )
    assert shape(ET.fromstring(response.content)) == shape(ET.fromstring(two))


def test_entry_with_doi_and_journal_ref_matches_recorded_entry(arxiv_server):
    recorded = ET.fromstring(sample("search-query-testing-page10.xml"))
    recorded_entry = recorded.find("atom:entry", NS)
    assert recorded_entry is not None
    assert recorded_entry.find("arxiv:doi", NS) is not None
    paper = next(
        p
        for p in CORPUS
        if p.comment and p.journal_ref and p.doi and not any(a.affiliation for a in p.authors)
    )
    response, feed = get(arxiv_server, id_list=paper.id)
    served = ET.fromstring(response.content)
    served_entry = served.find("atom:entry", NS)
    assert shape(served_entry) == shape(recorded_entry)
    (entry,) = feed["entries"]
    assert entry["links"][("related", "doi")] == f"https://doi.org/{paper.doi}"
    assert (entry["doi"], entry["journal_ref"], entry["comment"]) == (
        paper.doi,
        paper.journal_ref,
        paper.comment,
    )


def test_author_affiliation_matches_recorded_author(arxiv_server):
    recorded = ET.fromstring(sample("old-style-id-astro-ph-0601001.xml"))
    recorded_author = recorded.find("atom:entry/atom:author", NS)
    paper = next(p for p in CORPUS if p.authors[0].affiliation)
    response, feed = get(arxiv_server, id_list=paper.id)
    served_author = ET.fromstring(response.content).find("atom:entry/atom:author", NS)
    assert served_author is not None and recorded_author is not None
    assert shape(served_author) == shape(recorded_author)
    (entry,) = feed["entries"]
    assert entry["authors"][0] == (paper.authors[0].name, paper.authors[0].affiliation)


def test_xml_escaping(arxiv_server):
    _, feed = get(arxiv_server, id_list="hep-th/9901001,cs/0406012")
    by_id = {bare(e): e for e in feed["entries"]}
    assert "0 < g_s < 1 & N > 2" in by_id["hep-th/9901001"]["summary"]
    assert by_id["hep-th/9901001"]["doi"] == "10.1016/S0550-3213(99)00190-4"
    assert by_id["cs/0406012"]["authors"] == [("Jürgen Köhler", None), ("Anna Łazarska", None)]


# ---- the corpus


def test_corpus_covers_the_seeds_except_the_absent_ones():

    absent = [
        line[2:].split(" ", 1)[1]
        for line in (FIXTURES / "ABSENT.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("- ")
    ]
    assert len(absent) == 8
    records = normalized([str(SEEDS)], as_of=date(2026, 11, 24)).records
    assert len(records) == 203
    real = [p for p in CORPUS if not p.distractor]
    titles = {p.title for p in real}
    # (arXiv's summaries are the LaTeX listings show; the records hold it decoded)
    summaries = {decode_scraped(p.summary) for p in real}
    missing = []
    for record in records:
        if record.title:
            if record.title not in titles:
                missing.append(record.title)
        elif record.abstract not in summaries:
            missing.append("(abstract only) " + record.abstract[:50])
    assert len(missing) == 8
    for item in missing:
        assert any(a.startswith(item[:50]) or item.startswith(a[:50]) for a in absent), item


def test_corpus_ids_dates_and_extras():
    assert len(CORPUS) == len({p.id for p in CORPUS})
    for paper in CORPUS:
        match = re.fullmatch(r"(\d\d)(\d\d)\.(\d{4,5})", paper.id)
        if match:
            year = 2000 + int(match.group(1))
            assert paper.published[2:4] + paper.published[5:7] == paper.id[:4], paper.id
            assert len(match.group(3)) == (5 if year >= 2015 else 4), paper.id
        else:
            assert parse_id(paper.id) == (paper.id, None)
            assert paper.published < "2007"
        assert paper.published <= paper.updated
        assert paper.primary_category == paper.categories[0]
    assert sum("/" in p.id for p in CORPUS) == 2
    assert sum(p.distractor for p in CORPUS) >= 12
    assert sum(bool(p.doi) for p in CORPUS) >= 3
    assert sum(bool(p.journal_ref) for p in CORPUS) >= 3
    assert sum(bool(p.comment) for p in CORPUS) >= 3
    assert len(load_corpus(distractors=False)) == len(CORPUS) - sum(p.distractor for p in CORPUS)


def test_distractor_field_is_never_served(arxiv_server):
    response = requests.get(
        arxiv_server.url, params={"search_query": "ti:lumos", "max_results": 50}, timeout=5
    )
    assert b"distractor" not in response.content
    assert LUMOS_2 in ids_of(read_feed(response.content))


# ---- life cycle


def test_clean_shutdown_joins_every_thread():
    before = set(threading.enumerate())
    outcome: list[object] = []

    def slow_request(session: requests.Session, url: str) -> None:
        try:
            outcome.append(session.get(url, timeout=10).status_code)
        except requests.exceptions.RequestException as exc:
            outcome.append(exc)

    server = ArxivServer(corpus=CORPUS)
    with server, requests.Session() as session:
        session.get(server.url, params={"id_list": LUMOS_NEXUS}, timeout=5)  # keep-alive open
        server.faults.delay(30)
        waiter = threading.Thread(target=slow_request, args=(requests.Session(), server.url))
        waiter.start()
        while not any(r.fault == "delay" for r in server.log):
            time.sleep(0.01)
        started = time.monotonic()
        server.stop()  # interrupts the delay, aborts the open connections
        assert time.monotonic() - started < 5
        waiter.join(5)
    assert len(outcome) == 1 and isinstance(outcome[0], requests.exceptions.ConnectionError)
    assert set(threading.enumerate()) - before == set()
    with pytest.raises(RuntimeError):
        server.run()


def test_constructor_checks(arxiv_server):
    with pytest.raises(ValueError):
        ArxivServer(corpus=CORPUS, order="random")
    with pytest.raises(ValueError):
        ArxivServer(corpus=[*CORPUS[:2], CORPUS[0]])
    with pytest.raises(RuntimeError):
        _ = ArxivServer(corpus=CORPUS).url
    with pytest.raises(ValueError):
        Paper.from_dict(
            {"id": "2101.00001v2", "title": "x", "published": "", "primary_category": ""}
        )
    tiny = {
        "id": "2101.00001",
        "title": "A Tiny Corpus",
        "authors": [{"name": "Zoë Ashford"}],
        "summary": "Nothing to see.",
        "published": "2021-01-01T00:00:00Z",
        "primary_category": "cs.DL",
    }
    with ArxivServer(corpus=[tiny]) as small:  # dicts in the corpus.json layout work too
        assert search(small, "all:tiny") == {"2101.00001"}
        assert search(small, "au:zoe") == {"2101.00001"}
    assert arxiv_server.running
