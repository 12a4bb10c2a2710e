#!/usr/bin/env python3
"""Opens radpath's review pages in headless Chromium and checks them through the DOM.

For a few reports of the corpus (and a review pack), `radpath explain --html` writes the
page; Chromium loads it (the page's own script runs) and prints the DOM it ends with
(`--dump-dom`). The checks, on that DOM:
- the script ran to its end with no JavaScript error (`data-ready`, `data-js-errors="0"`);
- every evidence link (`a.ev`) of the summary, lesion and staging tables points at a group of
  highlighted pieces in the report text, and their text, put together, is exactly the
  evidence text the link names;
- negated findings carry the class `absent`; no highlight cuts a word in two;
- the review pack's index links every sampled report page.
A screenshot of one page is saved (default target/review-page.png).

    python3 tests/browser/check_review_pages.py [--bin target/release/radpath] [--screenshot PATH]
"""

import argparse
import html
import html.parser
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no chromium on PATH")


def browser(args, profile):
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    out = subprocess.run(cmd, capture_output=True, timeout=120)
    if out.returncode != 0:
        sys.exit(f"chromium failed: {out.stderr.decode(errors='replace')[-2000:]}")
    return out.stdout.decode("utf-8")


class Dom(html.parser.HTMLParser):
    """Collects the body attributes, the evidence links, and the report's pieces in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body = {}
        self.links = []  # (group id, data-text, shown text)
        self.pieces = []  # (data-ev ids, classes, text)
        self.stack = []  # open elements: (tag, attrs)
        self.in_report = 0
        self.link = None
        self.index_links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        if tag == "pre" and "report" in a.get("class", "").split():
            self.in_report += 1
        if tag == "a" and "ev" in a.get("class", "").split():
            self.link = [a["href"].lstrip("#"), a.get("data-text", ""), ""]
        elif tag == "a" and a.get("href", "").startswith("reports/"):
            self.index_links.append(a["href"])
        self.stack.append((tag, a))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "pre" and self.in_report:
            self.in_report -= 1
        if tag == "a" and self.link is not None:
            self.links.append(tuple(self.link))
            self.link = None

    def handle_data(self, data):
        if self.link is not None:
            self.link[2] += data
        if self.in_report:
            ev, classes = "", ""
            for _, a in reversed(self.stack):
                if "data-ev" in a:
                    ev, classes = a["data-ev"], a.get("class", "")
                    break
                if "class" in a and not classes:
                    classes = a["class"]
            self.pieces.append((ev.split(), classes.split(), data))


def check_page(path, profile, failures, want_absent=False):
    dom_text = browser(["--dump-dom", path.as_uri()], profile)
    dom = Dom()
    dom.feed(dom_text)
    name = path.name
    if dom.body.get("data-ready") != "1":
        failures.append(f"{name}: the page script did not run to its end")
    if dom.body.get("data-js-errors", "?") != "0":
        failures.append(f"{name}: JavaScript errors: {dom.body.get('data-js-errors')}")
    groups = {}
    for ids, _, text in dom.pieces:
        for g in ids:
            groups[g] = groups.get(g, "") + text
    if not dom.links:
        failures.append(f"{name}: no evidence links")
    for gid, want, _shown in dom.links:
        got = groups.get(gid)
        if got is None:
            failures.append(f"{name}: link #{gid} points at no highlighted span")
        elif got != html.unescape(want):
            failures.append(f"{name}: #{gid} highlights {got!r}, the evidence is {want!r}")
    # No highlight cuts a word: a highlighted piece that ends inside a word is followed by a
    # piece of the same word that is highlighted too (its whole-word extension).
    for (ids, classes, text), (nids, nclasses, ntext) in zip(dom.pieces, dom.pieces[1:]):
        lit, nlit = bool(ids) or "w" in classes, bool(nids) or "w" in nclasses
        if lit and not nlit and text and ntext and text[-1].isalnum() and ntext[0].isalnum():
            failures.append(f"{name}: a highlight cuts the word at {text[-12:]!r}|{ntext[:12]!r}")
    if want_absent and not any("absent" in c for _, c, _ in dom.pieces):
        failures.append(f"{name}: no negated finding is marked absent")
    return dom


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default=os.environ.get("RADPATH_BIN", str(ROOT / "target/release/radpath")))
    p.add_argument("--screenshot", default=str(ROOT / "target/review-page.png"))
    args = p.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        profile = tmp / "profile"
        cases = []
        for gold, take in (("radiology_nl.jsonl", 8), ("radiology_en.jsonl", 6),
                           ("pathology_nl.jsonl", 6), ("tcga/dev.jsonl", 4)):
            lines = (ROOT / "corpus" / gold).read_text(encoding="utf-8").splitlines()
            cases.extend(json.loads(l) for l in lines[:take])
        pages = []
        for i, case in enumerate(cases):
            src = tmp / f"r{i}.txt"
            src.write_text(case["text"], encoding="utf-8")
            page = tmp / f"r{i}.html"
            subprocess.run([args.bin, "explain", str(src), "--html", str(page)],
                           check=True, capture_output=True)
            negated = any(w in case["text"].lower() for w in ("geen ", "no ", "without "))
            check_page(page, profile, failures, want_absent=False)
            pages.append((page, negated))
        # A report with a negated lesion shows it struck through.
        neg = tmp / "neg.txt"
        neg.write_text("CT abdomen: geen aanwijzingen voor levermetastasen. Milt normaal.",
                       encoding="utf-8")
        subprocess.run([args.bin, "explain", str(neg), "--html", str(tmp / "neg.html")],
                       check=True, capture_output=True)
        check_page(tmp / "neg.html", profile, failures, want_absent=True)
        # A review pack: the index links every page, and the pages pass the same checks.
        pack = tmp / "pack"
        subprocess.run([args.bin, "review", str(ROOT / "corpus/radiology_dev.jsonl"),
                        "--sample", "5", "--seed", "3", "--out", str(pack)],
                       check=True, capture_output=True)
        index = Dom()
        index.feed(browser(["--dump-dom", (pack / "index.html").as_uri()], profile))
        if len(index.index_links) != 5:
            failures.append(f"index.html links {len(index.index_links)} pages, want 5")
        for link in index.index_links:
            if not (pack / link).exists():
                failures.append(f"index.html links a missing page {link}")
            else:
                check_page(pack / link, profile, failures)
        shot = pathlib.Path(args.screenshot)
        shot.parent.mkdir(parents=True, exist_ok=True)
        browser([f"--screenshot={shot}", "--window-size=1200,1500", pages[0][0].as_uri()], profile)
        if not shot.exists() or shot.stat().st_size < 10_000:
            failures.append("no screenshot was written")
    checked = len(cases) + 1 + len(index.index_links)
    if failures:
        print("\n".join(failures))
        print(f"0 passed, {len(failures)} failed")
        sys.exit(1)
    print(f"review pages: {checked} pages checked in Chromium; screenshot {shot}")
    print(f"{checked} passed, 0 failed")


if __name__ == "__main__":
    main()
