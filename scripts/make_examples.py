"""Make the bundled sample under examples/ from Reuters-21578 (research use only; see SOURCE.md).

Deterministic: `python scripts/make_examples.py /path/to/shared/data` rewrites examples/corpus and
examples/suspects. The suspects are made from one story of the corpus:
- verbatim-partial.html: four paragraphs copied verbatim into a web page with site boilerplate;
- spun.txt: the whole story run through a Moby-thesaurus synonym spinner (50% of content words);
- reordered.txt: sentences reordered, two dropped;
- paraphrased.txt: the story rewritten sentence by sentence by hand, as an LLM paraphraser would;
- same-subject.txt: another Reuters story on the same topic, not in the corpus and not a copy.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from unspin.lexicon import FUNCTION_WORDS
from unspin.thesaurus import load

N_CORPUS = 300

# Written by hand, as an LLM paraphraser would rewrite reuters-18085: every sentence rebuilt,
# facts and their order kept. The script checks that the source is still the story it was written for.
PARAPHRASED_SOURCE = "reuters-18085"
PARAPHRASED = """OPEC's president, Rilwanu Lukman, expects crude to hold steady at 18 to 20 dlrs a barrel for \
the next two years or so, with annual increases of just one or two dlrs a barrel to keep pace with \
inflation.

According to Swedish government officials, Lukman told Swedish trade representatives that price \
stability would depend on both OPEC and non-OPEC producers holding back their output.

Lukman, who also serves as Nigeria's oil minister, made his comments during a discussion of how \
Third World debt is linked to the industrialised world.

In his view, limits on crude production would not necessarily push up energy costs for the \
industrial nations.

Very cheap oil, like the prices seen early this year, might look attractive to industrial \
countries that import their energy, he said, but over time it would only encourage waste and too \
much reliance on oil.

That, he added, would in turn send prices soaring again.

Sweden, which relies heavily on imported oil, went through a severe crisis in the mid-1970s when \
prices shot up.
"""


def _stories(data: Path) -> list[dict]:
    seen, out = set(), []
    with open(data / "reuters21578" / "reuters21578.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            body = (r.get("body") or "").strip()
            key = " ".join(body.lower().split())[:400]
            if len(body.split()) < 150 or not r.get("topics") or key in seen:
                continue
            seen.add(key)
            out.append(r)
    return out


def _clean(body: str) -> str:
    body = re.sub(r"\s*\bREUTER\s*$", "", body.strip())  # the wire's sign-off
    paras = [" ".join(p.split()) for p in re.split(r"\n\s{2,}|\n\n", body) if p.strip()]
    return "\n\n".join(paras)


def spin(text: str, rate: float, rng: random.Random) -> str:
    moby = load("moby")

    def rep(m: re.Match[str]) -> str:
        w = m.group()
        low = w.lower()
        if low in FUNCTION_WORDS or w[0].isupper() or len(w) < 3 or rng.random() > rate:
            return w
        syn = [s for s in moby.synonyms(low)[:25] if " " not in s and "-" not in s]
        return rng.choice(syn) if syn else w

    return re.sub(r"[A-Za-z]+", rep, text)


def main(data: Path, out: Path) -> None:
    rng = random.Random(20261126)
    stories = _stories(data)
    rng.shuffle(stories)
    corpus = stories[:N_CORPUS]
    held_out = stories[N_CORPUS:]
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    (out / "suspects").mkdir(parents=True, exist_ok=True)
    with open(out / "corpus" / "reuters-sample.jsonl", "w", encoding="utf-8") as fh:
        for r in corpus:
            rec = {"id": f"reuters-{r['newid']}", "title": r["title"].title(), "text": _clean(r["body"]),
                   "published": r["date"], "source": "Reuters"}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    src = next(r for r in corpus if r["topics"][0] in ("crude", "acq", "trade", "grain")
               and len(_clean(r["body"]).split("\n\n")) >= 7)
    text = _clean(src["body"])
    paras = text.split("\n\n")
    boiler_top = "<header><nav>Home | Markets | World | Subscribe</nav></header>"
    article = "".join(f"<p>{p}</p>\n" for p in paras[1:5])
    html = (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>"
        f"{src['title'].title()} | Daily Market Wire</title></head><body>{boiler_top}\n"
        f"<article><h1>{src['title'].title()}</h1>\n{article}"
        "<p>Also read: Ten stocks to watch this week</p>\n"
        "<p>Subscribe to our newsletter for the latest market news delivered daily.</p>\n"
        "</article><footer>(c) Daily Market Wire. All rights reserved.</footer></body></html>\n"
    )
    (out / "suspects" / "verbatim-partial.html").write_text(html, encoding="utf-8")
    (out / "suspects" / "spun.txt").write_text(spin(text, 0.5, rng) + "\n", encoding="utf-8")
    sents = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(paras))
    keep = [s for k, s in enumerate(sents) if k not in (2, len(sents) - 2)]
    order = keep[len(keep) // 2 :] + keep[: len(keep) // 2]
    (out / "suspects" / "reordered.txt").write_text(" ".join(order) + "\n", encoding="utf-8")
    if f"reuters-{src['newid']}" == PARAPHRASED_SOURCE:
        (out / "suspects" / "paraphrased.txt").write_text(PARAPHRASED, encoding="utf-8")
    same = next(r for r in held_out if r["topics"][0] == src["topics"][0])
    (out / "suspects" / "same-subject.txt").write_text(_clean(same["body"]) + "\n", encoding="utf-8")
    truth = {
        "source": f"reuters-{src['newid']}",
        "derived": ["verbatim-partial.html", "spun.txt", "reordered.txt", "paraphrased.txt"],
        "not_derived": ["same-subject.txt"],
        "same_subject_story": f"reuters-{same['newid']} (not in the corpus)",
    }
    (out / "suspects" / "TRUTH.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    print(f"corpus: {len(corpus)} stories; suspects from reuters-{src['newid']} ({src['topics'][0]})")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"), Path("examples"))
