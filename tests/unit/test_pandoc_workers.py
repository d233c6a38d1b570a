"""The pandoc processes behind formatted reference lists (citetools.exporters._pandoc_workers).

Most tests run a fake pandoc: a small Python script, started as a real process exactly as pandoc
is (``<pandoc> lua <script>``), that reads the same job lines and answers each with one line of
JSON, or misbehaves on purpose. The last tests run the real pandoc of pypandoc-binary.
"""

from __future__ import annotations

import stat
import sys
import threading
import time

import pytest

from citetools.errors import ExportError
from citetools.exporters import _citeproc, _pandoc_workers, _styles
from citetools.exporters._inline import plain
from citetools.exporters._pandoc_ast import bibliography
from citetools.exporters._pandoc_workers import run_jobs

STYLE = b'<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl"/>'

# The fake pandoc. It answers each job with {"ids": [...], "worker": <pid>}; an item may ask it
# to misbehave: {"id": ..., "do": "exit"|"hangup"|"garbage"|"sleep"|"separators"}. "hangup":
# close its standard input, answer this job, then exit with code 3. FAKE_EXIT in its
# environment: answer every job, then exit with that code.
FAKE = """\
import json, os, sys, time
assert sys.argv[1] == "lua" and sys.argv[2].endswith(".lua"), sys.argv
for line in sys.stdin.buffer:
    style, path = line.decode().rstrip("\\n").split("\\t")
    assert open(style, "rb").read().startswith(b"<?xml")
    items = json.load(open(path, encoding="utf-8"))
    todo = {item.get("do") for item in items}
    if "exit" in todo:
        sys.stderr.write("fake pandoc: cannot go on\\n")
        sys.exit(3)
    if "garbage" in todo:
        sys.stdout.write("this is no JSON\\n")
    elif "sleep" in todo:
        time.sleep(60)
    elif "hangup" in todo:
        os.close(0)
    answer = {"ids": [item["id"] for item in items], "worker": os.getpid()}
    if "separators" in todo:
        answer["text"] = "2026\\x85a \\u2028 \\u2029 \\x1c\\x1d\\x1e \\r"
    sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\\n")
    sys.stdout.flush()
    if "hangup" in todo:
        sys.stderr.write("fake pandoc: hung up\\n")
        sys.exit(3)
sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
"""


@pytest.fixture
def fake_pandoc(tmp_path):
    path = tmp_path / "pandoc"
    path.write_text(f"#!{sys.executable}\n{FAKE}", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def job(*ids, do=None):
    return (STYLE, [{"id": i, **({"do": do} if do else {})} for i in ids])


def within(seconds, call):
    """call(), which must return or raise within ``seconds`` (no hang)."""
    outcome = {}

    def target():
        try:
            outcome["value"] = call()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def ids(document):
    return document["ids"]


# ---------------------------------------------------------------------------------------------
# every job answered, in the jobs' order


@pytest.mark.parametrize(
    ("jobs", "workers"),
    [(1, 1), (5, 1), (7, 2), (9, 3), (2, 5)],
    ids=["one-job", "one-worker", "more-jobs-than-workers", "three-workers", "more-workers"],
)
def test_every_job_is_answered_in_the_jobs_order(fake_pandoc, jobs, workers):
    work = [job(*[f"j{j}i{i}" for i in range(j % 4 + 1)]) for j in range(jobs)]
    costs = [float((j * 7) % 5) for j in range(jobs)]  # a sending order unlike the jobs' order
    found = within(60, lambda: run_jobs(fake_pandoc, work, ids, workers=workers, costs=costs))
    assert found == [[item["id"] for item in items] for _, items in work]


def test_jobs_are_shared_among_the_workers(fake_pandoc):
    work = [job(f"i{j}") for j in range(12)]
    found = within(60, lambda: run_jobs(fake_pandoc, work, lambda d: d["worker"], workers=2))
    assert len(set(found)) == 2


def test_no_jobs_start_no_process():
    assert run_jobs("/no/such/pandoc", [], ids, workers=2) == []


def test_each_job_sees_its_own_style(fake_pandoc, tmp_path):
    other = b'<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n</style>'
    work = [job("a"), (other, [{"id": "b"}]), job("c")]
    assert within(60, lambda: run_jobs(fake_pandoc, work, ids)) == [["a"], ["b"], ["c"]]


def test_line_separators_inside_an_answer_do_not_cut_it(fake_pandoc):
    """pandoc's JSON escapes \\n but not NEL, LS, PS or the information separators, which
    text-mode line splitting would also take for line ends."""
    work = [job("a", do="separators"), job("b")]
    found = within(60, lambda: run_jobs(fake_pandoc, work, lambda d: d, workers=2))
    assert found[0]["text"] == "2026\x85a \u2028 \u2029 \x1c\x1d\x1e \r"
    assert [d["ids"] for d in found] == [["a"], ["b"]]


# ---------------------------------------------------------------------------------------------
# failures: a clear ExportError, never a hang


def test_a_worker_that_stops_early_names_its_exit_code_and_message(fake_pandoc):
    work = [job("a"), job("b", do="exit"), job("c")]
    with pytest.raises(ExportError, match=r"exited with code 3 .*job 2: fake pandoc: cannot go on"):
        within(60, lambda: run_jobs(fake_pandoc, work, ids))


def test_a_worker_that_stops_reading_is_blamed_for_the_first_job_it_did_not_answer(fake_pandoc):
    """It closes its input while a later job is being sent: that job's write fails, yet the
    answers of the jobs it did get are read first, and the error names the first one missing
    (job 2 here, whichever write it was that failed), never the job whose write failed."""
    work = [job("a", do="hangup"), job("b"), job("c")]
    with pytest.raises(ExportError, match=r"exited with code 3 .*job 2: fake pandoc: hung up"):
        within(60, lambda: run_jobs(fake_pandoc, work, ids))


def test_a_failing_worker_stops_the_others_at_once(fake_pandoc):
    """One process fails while the other is deep in a job: that one is stopped, not awaited."""
    work = [job("slow", do="sleep"), job("a", do="exit"), job("b", do="exit"), job("c")]
    costs = [9.0, 1.0, 1.0, 1.0]  # the slow one first: the other process fails on its first job
    started = time.monotonic()
    with pytest.raises(ExportError, match="cannot go on"):
        within(30, lambda: run_jobs(fake_pandoc, work, ids, workers=2, costs=costs))
    assert time.monotonic() - started < 20


def test_an_answer_that_is_no_json(fake_pandoc):
    with pytest.raises(ExportError, match=r"printed no JSON \(b'this is no JSON"):
        within(60, lambda: run_jobs(fake_pandoc, [job("a", do="garbage")], ids))


def test_a_worker_that_answers_but_exits_with_an_error(fake_pandoc, monkeypatch):
    monkeypatch.setenv("FAKE_EXIT", "4")
    with pytest.raises(ExportError, match=r"exited with code 4 \(it printed no error\)"):
        within(60, lambda: run_jobs(fake_pandoc, [job("a"), job("b")], ids, workers=2))


def test_a_pandoc_that_is_no_program(tmp_path):
    with pytest.raises(ExportError, match=r"cannot run pandoc \(.*nothing-here"):
        run_jobs(str(tmp_path / "nothing-here"), [job("a")], ids)


def test_an_error_of_the_parser_is_raised_as_it_is(fake_pandoc):
    def parse(document):
        raise KeyError("blocks")

    with pytest.raises(KeyError, match="blocks"):
        within(60, lambda: run_jobs(fake_pandoc, [job("a"), job("b")], parse, workers=2))


def test_the_formatted_list_reports_a_failing_pandoc(fake_pandoc, monkeypatch):
    monkeypatch.setenv(_citeproc.PANDOC_ENV, fake_pandoc)
    items = [{"id": "x", "type": "book", "title": "T", "do": "exit"}]
    with pytest.raises(ExportError, match="pandoc failed to render the bibliography"):
        within(60, lambda: _citeproc.render_entries(items, _styles.find_csl_style("apa")))


# ---------------------------------------------------------------------------------------------
# the real pandoc


def item(i, family="Smith", year=2020):
    return {
        "id": f"k{i}",
        "type": "article-journal",
        "title": f"Paper number {i}",
        "author": [{"family": family, "given": "John"}],
        "issued": {"date-parts": [[year]]},
    }


def test_real_pandoc_answers_many_jobs_in_order():
    style = _styles.find_csl_style("apa").variant(keep_sort=False)
    work = [(style, [item(j * 10 + i, f"Family{j}") for i in range(j % 3 + 1)]) for j in range(7)]
    found = within(120, lambda: run_jobs(_citeproc.find_pandoc(), work, bibliography, workers=2))
    assert [[e.key for e in entries] for entries, _ in found] == [
        [it["id"] for it in items] for _, items in work
    ]
    assert all(hanging for _, hanging in found)


def test_apa_runs_out_of_year_suffix_letters_and_every_entry_stays_whole():
    """pandoc names year suffixes a..z, aa..zz, then goes on past 'z' in the first letter:
    the 963rd alike item (same first author, same year) is 2020\\x85a, NEL being U+0085. Its
    output was once cut there ("pandoc rendered 27 of 1 bibliographies"). 963 such items are
    the least that show it; they are one possibly-alike group, so one job."""
    items = [item(i) for i in range(963)]
    entries = _citeproc.render_entries(items, _styles.find_csl_style("apa")).entries
    assert [e.key for e in entries] == [it["id"] for it in items]
    texts = [plain(e.content) for e in entries]
    suffixes = [t.split("(2020", 1)[1].split(")", 1)[0] for t in texts]
    assert suffixes[:2] == ["a", "b"]
    assert suffixes[25:28] == ["z", "aa", "ab"]
    assert suffixes[961:] == ["\x84z", "\x85a"]
    assert texts[962] == "Smith, J. (2020\x85a). Paper number 962."
    assert sum("\x85" in t for t in texts) == 1


def test_workers_for_long_lists_only():
    assert _pandoc_workers.workers_for(_pandoc_workers.PARALLEL_ABOVE) == 1
    assert _pandoc_workers.workers_for(10**6) == _pandoc_workers.cpu_workers() >= 1
