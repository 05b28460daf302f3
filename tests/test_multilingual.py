"""Copies in another language: language detection, a translated copy traced, a translated negative.

The translations are written by hand for these tests (Reuters-21578, research use): one of an
article of the bundled sample index, one of an article that is not in it (reuters-488).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin import Index, check
from unspin.crosslingual import TRANSLATED, number_key
from unspin.embed import multilingual
from unspin.lang import detect
from unspin.report.json import result_to_dict

# reuters-8757 (in the sample index), in French
FRENCH_COPY = (
    "Le secteur de l'extraction d'or a connu une nouvelle « année exceptionnelle » en 1986, le "
    "tonnage traité, les recettes et les bénéfices atteignant des niveaux élevés, a indiqué la "
    "Chambre des mines. Près de 108 millions de tonnes de minerai ont été traitées, soit trois pour "
    "cent de plus que l'année précédente, tandis que les recettes ont progressé de 17 % à 16,5 "
    "milliards de rands et les bénéfices de 6,5 % à 8,31 milliards de rands, selon la Chambre. "
    "La hausse des bénéfices a été obtenue malgré une forte augmentation des coûts et une hausse "
    "de 26,1 % des dépenses d'investissement, à 2,42 milliards de rands. La production d'or de "
    "l'année a reculé de cinq pour cent à 638 tonnes, contre 671 tonnes l'année précédente."
)
# reuters-8757, in German, with a site's boilerplate around it
GERMAN_COPY = (
    "WIRTSCHAFT | Rohstoffe\n"
    "Die Goldbergbauindustrie hatte 1986 ein weiteres „außergewöhnliches Jahr“: Fördermenge, "
    "Einnahmen und Gewinne erreichten hohe Werte, teilte die Bergbaukammer mit. Fast 108 Millionen "
    "Tonnen Erz wurden verarbeitet, drei Prozent mehr als im Vorjahr, während die Einnahmen um 17 "
    "Prozent auf 16,5 Milliarden Rand und die Gewinne um 6,5 Prozent auf 8,31 Milliarden Rand "
    "stiegen. Die Goldproduktion des Jahres sank um fünf Prozent auf 638 Tonnen, nach 671 Tonnen im "
    "Vorjahr.\nArtikel teilen: Facebook | Twitter | E-Mail"
)
# reuters-488 (not in the index), in French: a gold mine too, other facts
FRENCH_NEGATIVE = (
    "AMAX Inc a annoncé avoir identifié des réserves supplémentaires de minerai d'or et d'argent "
    "dans sa mine AMAX Sleeper, près de Winnemucca, dans le Nevada. Selon le groupe, à la suite de "
    "forages récents, les réserves de la mine sont désormais estimées à 2 470 000 tonnes courtes de "
    "minerai titrant 0,24 once d'or et 0,50 once d'argent par tonne. AMAX a précisé que des "
    "réserves supplémentaires exploitables par lixiviation en tas sont estimées à 38,3 millions de "
    "tonnes. De nouveaux forages sont en cours, a-t-il indiqué."
)

@pytest.mark.parametrize(("text", "lang"), [
    (FRENCH_COPY, "fr"),
    (GERMAN_COPY, "de"),
    ("El Banco de México dijo que las remesas crecieron un 24% el año pasado y ya son la segunda "
     "fuente de ingresos del país después del petróleo.", "es"),
    ("O dinheiro será usado para ajudar os clientes a usar o Linux em todo tipo de aparelho, "
     "de computadores de mão e telefones até servidores potentes.", "pt"),
    ("Il dirigente di grado più alto a dichiararsi colpevole martedì è stato un ex alto dirigente "
     "della società, secondo il procuratore.", "it"),
    ("The gold mining industry had another exceptional year in 1986, the Chamber of Mines said.",
     "en"),
    ("108 638 671 16.5 8.31", "und"),
    ("", "und"),
])
def test_language_detection(text: str, lang: str) -> None:
    assert detect(text).lang == lang


def test_numbers_compare_across_notations() -> None:
    assert number_key("30,5") == number_key("30.5")
    assert number_key("671.700") == number_key("671.7")
    assert number_key("2006") != number_key("206")


def test_encoder_verified_and_cross_lingual() -> None:
    emb = multilingual.load()
    assert emb.checksum == multilingual.WEIGHTS_SHA256
    v = emb.embed(["Gold output for the year declined five pct to 638 tons.",
                   "La production d'or de l'année a reculé de cinq pour cent à 638 tonnes.",
                   "Lawyers representing Ward have said he saw the funds as his reward."])
    assert v.shape == (3, multilingual.DIM)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3


@pytest.mark.parametrize("text", [FRENCH_COPY, GERMAN_COPY])
def test_translated_copy_traced(sample_index: Index, text: str) -> None:
    result = check(text, sample_index)
    assert result.verdict == "derived"
    top = result.sources[0]
    assert top.id == "reuters-8757"
    assert top.obfuscation == TRANSLATED
    assert top.passages and all(p.kind == TRANSLATED and not p.substitutions
                                for p in top.passages)
    source = sample_index.get(top.id).text
    for p in top.passages:  # offsets point into both texts as given
        assert 0 <= p.suspect[0] < p.suspect[1] <= len(text)
        assert 0 <= p.source[0] < p.source[1] <= len(source)
    record = json.loads(json.dumps(result_to_dict(result)))
    assert record["suspect"]["lang"] == detect(text).lang
    assert record["sources"][0]["passages"][0]["kind"] == "translated"


def test_translated_negative_not_derived(sample_index: Index) -> None:
    result = check(FRENCH_NEGATIVE, sample_index)
    assert result.lang == "fr"
    assert result.verdict == "not_derived"


def test_english_suspect_reports_english(sample_index: Index) -> None:
    text = sample_index.get("reuters-8757").text
    result = check(text, sample_index, exclude=["reuters-9172"])
    assert result.lang == "en" and result.derived
    assert result.sources[0].obfuscation == "verbatim"


# reuters-8671 (in the sample index), in Spanish: names and figures respelled as a Spanish outlet
# writes them (Japón, Agencia de Planificación Económica, "0,5 %")
SPANISH_COPY = (
    "La economía de Japón sigue estancada, pero empieza a dar señales de que podría tocar fondo "
    "pronto, según el informe mensual que la Agencia de Planificación Económica presentó a los "
    "ministros del Gobierno. Sin embargo, que la economía toque fondo dependerá en gran medida de "
    "la evolución del tipo de cambio del yen en el futuro inmediato, señalaron responsables de la "
    "Agencia. Los funcionarios explicaron a los periodistas que la producción industrial, que cayó "
    "un 0,5 % en enero respecto a diciembre, probablemente repuntará en febrero y seguirá creciendo "
    "después, lo que alimenta la esperanza de unas perspectivas económicas más favorables. La "
    "Agencia prevé que la producción industrial aumente un 2,5 % en el trimestre de enero a marzo, "
    "tras caer un 0,7 % en el trimestre anterior."
)
# a French report written from the facts of reuters-8757 (in the index), not from its text: other
# order, other sentences, some facts left out and one added (a same-event report)
FRENCH_INDEPENDENT = (
    "Les mines d'or sud-africaines ont produit moins de métal l'an dernier : 638 tonnes, contre "
    "671 tonnes en 1985. Le secteur n'a pourtant pas à se plaindre. Grâce à un cours de l'once "
    "resté ferme, les compagnies ont continué d'exploiter des gisements plus pauvres, et la teneur "
    "moyenne du minerai est tombée à 5,63 grammes par tonne. À Johannesburg, la Chambre des mines, "
    "qui représente les exploitants, a salué une année exceptionnelle, avec un chiffre d'affaires "
    "de 16,5 milliards de rands."
)


@pytest.fixture(scope="module")
def cross_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    from unspin.config import IndexConfig

    from .conftest import sample_articles

    index = Index.create(tmp_path_factory.mktemp("cross") / "index",
                         config=IndexConfig(crosslingual=True))
    index.add(sample_articles(limit=60))  # both articles used here are among the first 60
    yield index
    index.close()


def test_cross_lingual_vectors_stored_with_their_model(cross_index: Index) -> None:
    from unspin.crossindex import STORE_FILE, candidates, lead_sentences
    from unspin.embed.vectors import meta_path

    meta = cross_index.storage.get_meta()
    emb = multilingual.load()
    assert meta["crosslingual.name"] == emb.name == multilingual.NAME
    assert meta["crosslingual.sha256"] == emb.checksum
    stored = json.loads(meta_path(Path(cross_index.path) / STORE_FILE).read_text())
    assert stored["model_checksum"] == emb.checksum and stored["dtype"] == "i8"
    assert stored["count"] == len(cross_index)
    # an article's own lead finds it first
    lead = emb.embed(lead_sentences(cross_index.get("reuters-8671").text, 10_000))
    best = candidates(cross_index, lead, 3)[0]
    assert cross_index.storage.rowid_of("reuters-8671") == best[0] and best[1] > 0.9


def test_respelled_translation_found_by_meaning(cross_index: Index) -> None:
    result = check(SPANISH_COPY, cross_index)
    assert result.lang == "es"
    assert result.derived and result.sources[0].id == "reuters-8671"
    assert result.sources[0].obfuscation == TRANSLATED


def test_foreign_independent_report_not_derived(cross_index: Index) -> None:
    result = check(FRENCH_INDEPENDENT, cross_index)
    assert result.lang == "fr"
    assert result.verdict == "not_derived"


def test_cli_crosslingual_sharded_index_traces_a_translation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from unspin.cli import main

    from .conftest import sample_articles

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": a.id, "title": a.title, "text": a.text}) + "\n"
                              for a in sample_articles(limit=30)), encoding="utf-8")
    suspect = tmp_path / "copia.txt"
    suspect.write_text(SPANISH_COPY, encoding="utf-8")
    idx = str(tmp_path / "idx")
    assert main(["index", "build", str(corpus), "--index", idx, "--crosslingual", "--shards",
                 "2", "--quiet"]) == 0
    # adding to it without the flag keeps its settings (no mismatch)
    assert main(["index", "build", str(corpus), "--index", idx, "--on-duplicate", "skip",
                 "--quiet"]) == 0
    capsys.readouterr()
    main(["check", str(suspect), "--index", idx, "--format", "json"])
    record = json.loads(capsys.readouterr().out)
    record = record[0] if isinstance(record, list) else record
    assert record["suspect"]["lang"] == "es"
    assert record["verdict"] == "derived"
    assert record["sources"][0]["id"] == "reuters-8671"


def test_sentences_of_the_other_languages() -> None:
    from unspin.tokens import sentence_spans

    text = ("La banque a parlé. « Tout va mieux », a-t-il dit. État et régions suivent. ¿Y ahora? "
            "Der Film kostete 150 Mio. Dollar und spielte 13,5 Mrd. Euro ein. Dr. Smith agreed.")
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "La banque a parlé.", "« Tout va mieux », a-t-il dit.", "État et régions suivent.",
        "¿Y ahora?", "Der Film kostete 150 Mio. Dollar und spielte 13,5 Mrd. Euro ein.",
        "Dr. Smith agreed."]


def test_gate_wants_translation_cosines_not_retold_facts() -> None:
    """Pairs in the source's order over the whole suspect pass the gate only when their mean
    cosine is a translation's: a same-event report's sentences pair one by one, but lower."""
    from unspin.analysis import analyze
    from unspin.crosslingual import CrossAligner, CrossConfig, _Pair

    suspect = analyze("Il governo ha annunciato nuove misure per ridurre il deficit pubblico. "
                      "Le spese per la difesa aumenteranno nonostante i tagli previsti. "
                      "I sindacati hanno criticato duramente il piano del ministro.")
    cross = CrossAligner(suspect, multilingual.load())
    cfg = CrossConfig()
    retold = [_Pair(0, 1, 0.69), _Pair(1, 4, 0.66), _Pair(2, 7, 0.66)]
    translated = [_Pair(0, 0, 0.80), _Pair(1, 1, 0.75), _Pair(2, 2, 0.85)]
    assert all(p.score >= cfg.gate_cosine for p in retold)  # each pair alone passes
    assert not cross.is_translation(retold)
    assert cross.is_translation(translated)
    assert not cross.is_translation(translated[:1])  # one sentence of three is not a copy


def test_gate_passes_when_any_in_order_chain_is_a_translation() -> None:
    """More pairs aligning never turn a translation away: four of six sentences at 0.74 pass,
    and two more in-order pairs just above ``gate_cosine`` (which pull the six-pair mean below
    ``mean_cosine``) leave the four-pair chain passing."""
    from unspin.analysis import analyze
    from unspin.crosslingual import CrossAligner, CrossConfig, _Pair

    words = ["uno", "due", "tre", "quattro", "cinque", "sei"]
    suspect = analyze(" ".join(f"Il governo numero {w} ha annunciato nuove misure per ridurre il "
                               "deficit." for w in words))
    assert len(suspect.sentences) == 6
    cross = CrossAligner.__new__(CrossAligner)  # the gate reads only the suspect and the config
    cross.suspect, cross.config = suspect, CrossConfig()
    cfg = cross.config
    good = [_Pair(k, k, 0.74) for k in range(4)]
    loose = [_Pair(4, 4, 0.645), _Pair(5, 5, 0.645)]
    assert all(p.score >= cfg.gate_cosine for p in loose)
    assert sum(p.score for p in good + loose) / 6 < cfg.mean_cosine  # the longest chain fails
    assert cross.is_translation(good)
    assert cross.is_translation(good + loose)
    assert not cross.is_translation(good[:2] + loose)  # no chain over half at a translation's mean


def test_numbers_of_one_token_compare_apart() -> None:
    from unspin.analysis import analyze
    from unspin.crosslingual import _facts

    nums, _ = _facts(analyze("McIlroy gewann in 1:47,97 Minuten das Rennen über 800 Meter."), 0)
    assert {number_key("47.97"), number_key("800")} <= nums


def test_verify_and_repair_cover_the_cross_lingual_vectors(tmp_path: Path) -> None:
    from unspin.config import IndexConfig
    from unspin.crossindex import STORE_FILE
    from unspin.index.maintenance import repair, verify

    from .conftest import sample_articles

    path = tmp_path / "index"
    with Index.create(path, config=IndexConfig(crosslingual=True)) as index:
        first = sample_articles(limit=60)
        index.add([a for a in first if a.id == "reuters-8671"] + first[:11])
    assert verify(path) == []
    store = path / STORE_FILE
    with open(store, "r+b") as fh:  # same size: only the checksum can tell
        fh.seek(store.stat().st_size // 2)
        fh.write(b"\xff" * 64)
    found = verify(path)
    assert len(found) == 1 and STORE_FILE in found[0] and "index repair" in found[0]
    assert repair(path) == ["embedded the cross-lingual lead of 12 article(s) again"]
    assert verify(path) == []
    store.unlink()
    found = verify(path)
    assert len(found) == 1 and "no cross-lingual vectors" in found[0]
    repair(path)
    assert verify(path) == []
    with Index.open(path, readonly=True) as index:
        assert check(SPANISH_COPY, index).sources[0].id == "reuters-8671"


def test_an_article_without_a_sentence_needs_no_vectors(tmp_path: Path) -> None:
    """An article of zero-width characters only is stored but has no lead (nor any sentence) to
    embed: verify does not count it as missing, so a fresh index verifies clean."""
    from unspin import Article
    from unspin.config import IndexConfig
    from unspin.index.maintenance import repair, verify

    from .conftest import sample_articles

    path = tmp_path / "index"
    with Index.create(path, config=IndexConfig(crosslingual=True)) as index:
        index.add(sample_articles(limit=5) + [Article(id="blank", text="\u200b\u200b \u200b")])
        assert index.get("blank") is not None
    assert verify(path) == []
    assert repair(path) == []


def test_repair_completes_incomplete_cross_lingual_vectors(tmp_path: Path) -> None:
    """Articles missing from the cross-lingual store are embedded by themselves (what ``sync``
    does), not with every other article's lead again."""
    from unspin import crossindex
    from unspin.config import IndexConfig
    from unspin.index.maintenance import repair, verify

    from .conftest import sample_articles

    path = tmp_path / "index"
    with Index.create(path, config=IndexConfig(crosslingual=True, semantic="off")) as index:
        index.add(sample_articles(limit=6))
        rowid = next(r for (r,) in index.storage.conn.execute("SELECT rowid FROM articles"))
        store = crossindex._open(index, writable=True)
        assert store is not None
        try:
            assert store.remove(rowid)
            store.save()
        finally:
            store.close()
    found = verify(path)
    assert len(found) == 1 and "1 article(s) have no cross-lingual vectors yet" in found[0]
    assert repair(path) == ["embedded the cross-lingual lead of 1 more article(s)"]
    assert verify(path) == []
