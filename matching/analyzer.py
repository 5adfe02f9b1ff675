"""Turns a text into weighted search terms: Sudachi tokens, English stems, synonyms and glosses."""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .lexicon import load_lexicon
from .normalize import fold_term, hira_to_kata, hiragana_runs, nfkc_lower
from .synonyms import SynonymTable, load_synonyms

logger = logging.getLogger(__name__)

# The version of the analysis code: raise it whenever ``Analyzer.analyze`` would give other terms for
# the same text (stored analyses made with another version are then stale). ``Analyzer.version``
# adds hashes of the synonym table and the lexicon in use.
ANALYZER_VERSION = "2026.12.3"
GLOSS_WEIGHT = 0.35  # an English gloss of a Japanese word counts a third of the word itself
COMPOUND_WEIGHT = 0.5  # two adjacent nouns joined (燃料 + 電池 -> 燃料電池)
MAX_GLOSSES = 4  # the first gloss words are the main sense; later ones add noise
# Latin words: hyphens and dots separate words (long-term -> long, term), except in numbers (2.5).
_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9+]*(?:\.[0-9]+)*")
_DIGITS = re.compile(r"[0-9.\-]+")
# Runs of ASCII with a Latin letter in Japanese text, with the digits, spaces and signs around the
# words: read as English, then cut out before Sudachi (runs without a letter give no term). Written
# to start with one ASCII character, so that the regex skips Japanese text quickly; split() gives
# the text between the runs and, from the group, the runs.
_LATIN_RUN = re.compile(r"([ -~](?:(?<=[a-z])|(?=[ -~]*[a-z]))[ -~]*)")
_LATIN_LETTER = re.compile(r"[a-z]")
_LETTERS_OR_DIGITS = re.compile(r"[a-z]+|[0-9][0-9.]*")
# Sudachi word ids from this value on are unknown words: the id carries only the part of speech.
_OOV_WORD_IDS = 0xF0000000
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "接尾辞"}
_SKIP_POS1 = {"数詞", "非自立可能", "助数詞"}
_JA_STOP = {"こと", "もの", "ため", "よう", "ところ", "する", "ある", "いる", "なる", "できる", "れる",
            "られる", "ほしい", "たい", "いう", "思う", "行う", "方", "等", "中", "的", "化", "者", "用", "済み"}
EN_STOPWORDS = frozenset(
    "a about above after again all also am an and any are as at be because been before being "
    "below between both but by can could did do does doing down during each few for from further "
    "had has have having he her here hers him his how i if in into is it its itself just me more "
    "most my no nor not now of off on once only or other our ours out over own same she should so "
    "some such than that the their theirs them then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with would you "
    "your yours us want wants need needs looking look plan plans like per within around about "
    "able one two three few many much well also welcome willing".split()
)

# Negation. A clause (between sentence and clause marks) with an English negation is excluded whole;
# in Japanese the text from the last mark up to a negated verb or 不可/対象外/禁止 is.
_CLAUSE = re.compile(r"[.;:!?。;:!?、,()\[\]「」]|\bbut\b|\band\b(?= we\b)")
_EN_NEGATION = re.compile(r"\b(?:no|not|cannot|never|nor|except|excluding|without any)\b|n't\b|prohibited|forbidden")
_JA_NEGATION = re.compile(r"(?:ていない|ていません|でいない|ません|しない|わない|らない|かない|まない|ない方針|"
                          r"おらず|できない|不可|対象外|を除く|を除き|禁止|お断り|行っていない|受け付けていない|はなく|がなく)")
_NEGATION_HINT = re.compile(r"\b(?:no|not|cannot|never|nor|except|excluding)\b|n't|prohibited|forbidden|ない|ません|"
                            r"おらず|不可|対象外|除|禁止|お断り")
# Words of a negated clause that say what is negated, not what: never counted as excluded.
_NEGATION_NEUTRAL = frozenset("permit allow accept offer handl operat install use us provid support kind any cannot "
                              "ourselv own 扱う 使う 行う 受け付ける 受付 在籍 対応 方針 取り扱う 引き受ける".split())

# Sentences that ask for a change (the relief a regulatory need asks for); the others say what
# stands in the way. Compared on the NFKC lower-cased text.
_ASKING = re.compile(r"ほしい|欲しい|求め|要望|認めて|いただきたい|please|should|we ask|ask for|allow|would like|request")
_SENTENCE = re.compile(r"(?<=[。!?])|(?<=[.!?])\s+")

_MISSING = object()
_local = threading.local()
_dict_lock = threading.Lock()
_dictionary = None


# Input and path plugins of Sudachi's default configuration that this analyser does not need:
# numbers are never terms (JoinNumeric), and reading hints in brackets are rare here (IgnoreYomigana).
# Without them tokenising is about a third faster.
_UNUSED_SUDACHI_PLUGINS = ("JoinNumericPlugin", "IgnoreYomiganaPlugin")


def _sudachi_config() -> str:
    """Sudachi's default configuration without ``_UNUSED_SUDACHI_PLUGINS``, as JSON."""
    from importlib import resources  # noqa: PLC0415

    config = json.loads(resources.files("sudachipy").joinpath("resources/sudachi.json").read_text("utf-8"))
    for key in ("inputTextPlugin", "pathRewritePlugin"):
        config[key] = [p for p in config.get(key, []) if not p["class"].endswith(_UNUSED_SUDACHI_PLUGINS)]
    return json.dumps(config)


def _tokenizer():
    """One Sudachi tokenizer per thread over one shared Dictionary (tokenizers are not thread-safe)."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        global _dictionary
        from sudachipy import Dictionary, SplitMode  # noqa: PLC0415 - heavy import, load lazily

        with _dict_lock:
            if _dictionary is None:
                _dictionary = Dictionary(config=_sudachi_config())
        tok = _dictionary.tokenizer(SplitMode.C, fields={"normalized_form", "pos"})
        _local.tokenizer = tok
    return tok


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude English stemmer (plural, -ing, -ed), enough to join 'flights' and 'flight'."""
    w = word
    if len(w) <= 3 or not w.isascii() or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
        if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]  # so that "experience" and "experienced" meet at "experienc"
    return w


@dataclass
class Analysis:
    """What the analyser found in one text.

    ``terms`` maps a term to its weight (term frequency, glosses and compounds weighted down);
    ``primary`` are the terms found literally (for evidence), ``synonyms`` the (variant,
    canonical) pairs applied, ``laws`` the canonical law titles mentioned.
    """

    terms: dict[str, float] = field(default_factory=dict)
    primary: set[str] = field(default_factory=set)
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    laws: set[str] = field(default_factory=set)
    canonical_text: str = ""
    # term -> the word it was read from, when they differ (English stems, inflected Japanese):
    # what an explanation shows to people instead of the internal term.
    surfaces: dict[str, str] = field(default_factory=dict)

    # Terms the text excludes ("no drone flights", 「水素は扱わない」): a query asking for them is
    # told so, and the candidate is ranked down.
    excluded: frozenset[str] = frozenset()
    # Terms of the candidate's tags, each tag analysed on its own (``Analyzer.analyze_candidate``;
    # None when not made): what a need index compares tags with.
    tag_terms: frozenset[str] | None = None
    # What a text asks for and what stands in its way (a regulatory need: 「…を認めてほしい」,
    # "Please raise the cap"): the English terms (words and glosses) of its sentences that ask
    # (relief) and of the others (obstacle), or None when no sentence asks.
    asks: tuple[dict[str, float], dict[str, float]] | None = None

    def add(self, term: str, weight: float, primary: bool = True) -> None:
        """Add ``weight`` to ``term``."""
        if term:
            self.terms[term] = self.terms.get(term, 0.0) + weight
            if primary:
                self.primary.add(term)

    def to_json(self, version: str = "") -> dict[str, Any]:
        """A compact JSON-able value with everything an index needs (not ``canonical_text``),
        stamped with ``version`` (``Analyzer.version``) when given; ``from_json`` reads it back."""
        out: dict[str, Any] = {"t": self.terms}
        if version:
            out["v"] = version
        out["p"] = sorted(self.primary)
        if self.synonyms:
            out["s"] = [list(p) for p in self.synonyms]
        if self.laws:
            out["l"] = sorted(self.laws)
        if self.surfaces:
            out["u"] = self.surfaces
        if self.tag_terms is not None:
            out["g"] = sorted(self.tag_terms)
        if self.excluded:
            out["x"] = sorted(self.excluded)
        if self.asks is not None:
            out["a"] = [self.asks[0], self.asks[1]]
        return out

    @classmethod
    def from_json(cls, value: dict[str, Any] | str, version: str | None = None) -> "Analysis":
        """The analysis ``to_json`` gave (the dict or its JSON text). With ``version``, a value
        stamped with another version (or none) raises ``StaleAnalysis``."""
        if isinstance(value, str):
            value = json.loads(value)
        if version is not None and value.get("v") != version:
            raise StaleAnalysis(f"analysis of version {value.get('v')!r}, expected {version!r}")
        tags = value.get("g")
        # JSON keys are strings and `to_json` wrote the weights as floats: a copy is enough (a
        # comprehension converting each took half the time of reading 200 stored analyses).
        return cls(terms=dict(value.get("t", {})),
                   primary=set(value.get("p", ())),
                   synonyms=[(a, b) for a, b in value.get("s", ())],
                   laws=set(value.get("l", ())),
                   surfaces=dict(value.get("u", {})),
                   tag_terms=frozenset(tags) if tags is not None else None,
                   excluded=frozenset(value.get("x", ())),
                   asks=(dict(value["a"][0]), dict(value["a"][1])) if value.get("a") is not None else None)


class StaleAnalysis(ValueError):
    """A stored analysis was made by another analyser version: analyse the text again."""


class Analyzer:
    """Analyses texts with one synonym table and one gloss lexicon (either may be empty; the
    lexicon maps a folded Japanese form to its space-separated English gloss words)."""

    def __init__(self, synonyms: SynonymTable | None = None,
                 lexicon: dict[str, str] | None = None) -> None:
        self.synonyms = synonyms if synonyms is not None else load_synonyms()
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self._gloss_cache: dict[str, tuple[str, ...]] = {}
        self._tag_cache: dict[str, frozenset[str]] = {}
        self._morph_cache: dict[tuple[str, int], tuple | None] = {}
        self._compound_cache: dict[str, tuple[tuple[str, float], ...]] = {}
        self._word_id_cache: dict[int, tuple | bool] = {}
        self._loanword_cache: dict[str, tuple[int, int, str] | None] = {}
        self._latin_cache: dict[str, tuple[tuple[str, str, str | None], ...]] = {}
        self._version: str | None = None

    @property
    def version(self) -> str:
        """``ANALYZER_VERSION`` plus hashes of the synonym table and the lexicon in use: it changes
        whenever analyses made by this analyser could differ from stored ones (computed once)."""
        if self._version is None:
            syn = hashlib.sha256()
            for k, v in sorted(self.synonyms.canonical.items()):
                syn.update(f"{k}\t{v}\n".encode())
            for law in sorted(self.synonyms.laws):
                syn.update(f"law\t{law}\n".encode())
            self._version = f"{ANALYZER_VERSION}+syn.{syn.hexdigest()[:12]}+lex.{_lexicon_hash(self.lexicon)}"
        return self._version

    def _recover_loanwords(self, text: str, used: list[tuple[str, str]]) -> str:
        """Rewrite hiragana spellings of katakana words (ばいおがす -> バイオガス)."""
        for start, end in reversed(hiragana_runs(text)):
            run = text[start:end][:20]
            found = self._loanword_cache.get(run, _MISSING)
            if found is _MISSING:
                found = self._loanword(run)
            if found:
                offset, length, kata = found
                a = start + offset
                used.append((text[a:a + length], kata))
                text = text[:a] + kata + text[a + length:]
        return text

    def _loanword(self, run: str) -> tuple[int, int, str] | None:
        """The longest katakana word spelt in hiragana inside ``run`` (offset, length, katakana)."""
        found = None
        for length in range(len(run), 3, -1):
            for offset in range(0, len(run) - length + 1):
                kata = hira_to_kata(run[offset:offset + length])
                if fold_term(kata) in self.lexicon or self.synonyms.lookup(kata):
                    found = (offset, length, kata)
                    break
            if found:
                break
        if len(self._loanword_cache) < 100_000:
            self._loanword_cache[run] = found
        return found

    def _glosses(self, key: str) -> tuple[str, ...]:
        """Stemmed English gloss words of one Japanese term (empty when unknown)."""
        cached = self._gloss_cache.get(key)
        if cached is None:
            words = self.lexicon.get(key, "").split()[:MAX_GLOSSES]
            cached = tuple(dict.fromkeys(s for s in map(stem, words) if s not in EN_STOPWORDS))
            if len(self._gloss_cache) < 200_000:
                self._gloss_cache[key] = cached
        return cached

    def _token(self, normalized: str, pos0: str, pos1: str) -> tuple[str, str | None] | None:
        """(term key, canonical it was mapped to or None) of one morpheme, None to skip it (the
        caller, ``_morpheme``, keeps the answer)."""
        result: tuple[str, str | None] | None = None
        if pos0 in _CONTENT_POS and pos1 not in _SKIP_POS1:
            key = fold_term(normalized)
            if key not in _JA_STOP and (len(key) > 1 or re.match(r"[\u4e00-\u9fff]", key)):
                canon = self.synonyms.lookup(key)
                if canon and canon != key:
                    result = (fold_term(canon), canon)
                else:
                    result = (key, None)
        return result

    def _add_term(self, out: Analysis, key: str, weight: float = 1.0) -> None:
        out.add(key, weight)
        for g in self._glosses(key):
            out.add(g, GLOSS_WEIGHT * weight, primary=False)

    def _morpheme(self, normalized: str, pid: int, m: Any) -> tuple | None:
        """Cached per (normalised form, part of speech): the term key, the canonical term it was
        mapped to (or None), whether it is a noun, and the (term, weight) pairs to add."""
        got = self._morph_cache.get((normalized, pid), _MISSING)
        if got is not _MISSING:
            return got
        pos = m.part_of_speech()
        tok = self._token(normalized, pos[0], pos[1])
        if tok is None:
            result = None
        else:
            key, canon = tok
            adds = ((key, 1.0),) + tuple((g, GLOSS_WEIGHT) for g in self._glosses(key))
            result = (key, canon, pos[0] in ("名詞", "接尾辞"), adds)
        if len(self._morph_cache) < 300_000:
            self._morph_cache[(normalized, pid)] = result
        return result

    def _compound(self, key: str) -> tuple[tuple[str, float], ...]:
        got = self._compound_cache.get(key)
        if got is None:
            got = ((key, COMPOUND_WEIGHT),) + tuple((g, GLOSS_WEIGHT * COMPOUND_WEIGHT) for g in self._glosses(key))
            if len(self._compound_cache) < 300_000:
                self._compound_cache[key] = got
        return got

    def _word_info(self, m: Any, wid: int) -> tuple | bool:
        """``_morpheme`` of a Sudachi morpheme (False: no term); dictionary words are cached by word
        id, unknown words (whose ids only carry their part of speech) by normalised form and part of
        speech."""
        surface = m.surface()
        if surface.isascii():
            info = False  # spaces, digits and symbols: Latin words never reach Sudachi
        else:
            normalized, pid = m.normalized_form(), m.part_of_speech_id()
            info = self._morph_cache.get((normalized, pid), _MISSING)
            if info is _MISSING:
                info = self._morpheme(normalized, pid, m)
            info = info or False
        if wid < _OOV_WORD_IDS and len(self._word_id_cache) < 300_000:
            self._word_id_cache[wid] = info
        return info

    def _japanese(self, out: Analysis, text: str) -> None:
        """Terms of a text with Japanese in it: Latin words (and the digits and signs around them)
        are read as English and cut out, so that Sudachi only sees the Japanese, which halves its
        work on mixed texts; the rest is tokenised by Sudachi."""
        if _LATIN_LETTER.search(text):
            if (mixed := self.synonyms.mixed_pattern).search(text):
                for term in mixed.findall(text):
                    self._add_term(out, fold_term(term))
                text = mixed.sub(" ", text)
            pieces = _LATIN_RUN.split(text)
            self._english(out, " ".join(pieces[1::2]))
            text = " ".join(pieces[0::2])
        # The hot loop of index building: per-morpheme work is looked up in a cache keyed by the
        # Sudachi word id, without method calls (False: the morpheme gives no term).
        prev: str | None = None
        prev_surface = ""
        terms, primary, surfaces = out.terms, out.primary, out.surfaces
        tget = terms.get
        wid_get = self._word_id_cache.get
        compound_get = self._compound_cache.get
        for m in _tokenizer().tokenize(text):
            wid = m.word_id()
            info = wid_get(wid, None)
            if info is None:
                info = self._word_info(m, wid)
            if not info:
                prev = None
                continue
            key, canon, noun, adds = info
            surface = m.surface()
            if canon is not None:
                out.synonyms.append((surface, canon))
            primary.add(key)
            if surface != key and key not in surfaces:
                surfaces[key] = surface
            for t, w in adds:
                terms[t] = tget(t, 0.0) + w
            if prev is not None and noun:
                compound = compound_get(prev + key)
                if compound is None:
                    compound = self._compound(prev + key)
                ckey = compound[0][0]
                primary.add(ckey)
                csurface = prev_surface + surface
                if csurface != ckey and ckey not in surfaces:
                    surfaces[ckey] = csurface
                for t, w in compound:
                    terms[t] = tget(t, 0.0) + w
            if noun:
                prev, prev_surface = key, surface
            else:
                prev, prev_surface = None, ""

    def _word(self, word: str) -> tuple[tuple[str, str, str | None], ...]:
        """(stem, word as shown, Japanese canonical term or None) of each term in one Latin word.

        A word that is not a synonym is split where letters and digits meet, and numbers are
        dropped: ``142ha`` gives ``ha``, ``fy2027`` gives ``fy``, while ``5g`` and ``h2`` stay."""
        parts = [word] if self.synonyms.lookup(word) else _LETTERS_OR_DIGITS.findall(word)
        ops = []
        for w in parts:
            if w in EN_STOPWORDS or _DIGITS.fullmatch(w) or len(w) < 2:
                continue
            canon = self.synonyms.lookup(w)
            ops.append((w, w, canon) if canon and not canon.isascii() else (stem(w), w, None))
        result = tuple(ops)
        if len(self._latin_cache) < 200_000:
            self._latin_cache[word] = result
        return result

    def _english(self, out: Analysis, segment: str) -> None:
        """Terms of the Latin words of ``segment``: English stems, or the Japanese term a word is
        a synonym of."""
        terms, primary, surfaces = out.terms, out.primary, out.surfaces
        latin_get = self._latin_cache.get
        for word in _ASCII_WORD.findall(segment):
            ops = latin_get(word)
            if ops is None:
                ops = self._word(word)
            for s, w, canon in ops:
                if canon is not None:
                    out.synonyms.append((w, canon))
                    self._japanese(out, canon)
                    continue
                terms[s] = terms.get(s, 0.0) + 1.0
                primary.add(s)
                if s != w and s not in surfaces:
                    surfaces[s] = w

    def analyze_tag(self, tag: str) -> set[str]:
        """Terms of one tag (tags repeat a lot, so the result is kept)."""
        got = self._tag_cache.get(tag)
        if got is None:
            got = frozenset(self.analyze(tag).primary)
            if len(self._tag_cache) < 100_000:
                self._tag_cache[tag] = got
        return set(got)

    def analyze_candidate(self, candidate: Any) -> Analysis:
        """The analysis an index needs of one ``Candidate``: its full text, and its tags' terms
        (what ``Analysis.to_json`` stores for ``Index.build(..., analyses=...)``)."""
        out = self.analyze(candidate.full_text())
        tag_terms: set[str] = set()
        for tag in candidate.tags:
            tag_terms |= self.analyze_tag(tag)
        out.tag_terms = frozenset(tag_terms)
        out.canonical_text = ""
        return out

    def analyze(self, text: str) -> Analysis:
        """Analyse ``text`` (any mix of Japanese and English) into weighted terms."""
        out = Analysis()
        t = nfkc_lower(text)
        if not t:
            return out
        if self.lexicon or self.synonyms.canonical:
            t = self._recover_loanwords(t, out.synonyms)
        t, used = self.synonyms.rewrite(t)
        out.synonyms.extend(used)
        out.laws = {c for _, c in used if c in self.synonyms.laws}
        out.laws |= self.synonyms.laws_in(t)
        out.canonical_text = t
        self._terms(out, t)
        if _NEGATION_HINT.search(t):
            out.excluded = self._excluded(t)
        if _ASKING.search(t):
            out.asks = self._asks(t)
        return out

    def _asks(self, t: str) -> tuple[dict[str, float], dict[str, float]] | None:
        """(English terms of the sentences that ask for something, those of the other sentences)."""
        relief, obstacle = Analysis(), Analysis()
        asked = False
        for sentence in _SENTENCE.split(t):
            if sentence.strip():
                asks = bool(_ASKING.search(sentence))
                asked |= asks
                self._terms(relief if asks else obstacle, sentence)
        if not asked:
            return None
        return ({k: round(v, 4) for k, v in relief.terms.items() if k.isascii()},
                {k: round(v, 4) for k, v in obstacle.terms.items() if k.isascii()})

    def _terms(self, out: Analysis, t: str) -> None:
        if t.isascii():
            self._english(out, t)
        else:
            self._japanese(out, t)

    def _excluded(self, t: str) -> frozenset[str]:
        """Terms the text says it does not do or have ("drone flights are not permitted",
        「水素は扱わない」, 「ドローンの飛行は不可」): the literal terms of each negated clause that
        the rest of the text does not also name."""
        negated, kept = [], []
        for clause in _CLAUSE.split(t):
            if not clause:
                continue
            if _EN_NEGATION.search(clause):
                negated.append(clause)
                continue
            pos = 0
            for m in _JA_NEGATION.finditer(clause):
                negated.append(clause[pos:m.start()])
                pos = m.end()
            kept.append(clause[pos:])
        if not negated:
            return frozenset()
        neg, rest = Analysis(), Analysis()
        for c in negated:
            self._terms(neg, c)
        for c in kept:
            self._terms(rest, c)
        return frozenset(t for t in neg.primary - rest.primary
                         if t not in _NEGATION_NEUTRAL and stem(t) not in _NEGATION_NEUTRAL)


_lexicon_hashes: dict[int, tuple[dict[str, str], str]] = {}


def _lexicon_hash(lexicon: dict[str, str]) -> str:
    """A short hash of a gloss lexicon's content (kept per lexicon object: lexicons are shared)."""
    got = _lexicon_hashes.get(id(lexicon))
    if got is None or got[0] is not lexicon:
        h = hashlib.sha256()
        for k, v in lexicon.items():
            h.update(f"{k}\t{v}\n".encode())
        got = _lexicon_hashes[id(lexicon)] = (lexicon, h.hexdigest()[:12])
    return got[1]


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The process-wide analyser with the shipped synonyms and lexicon."""
    return Analyzer()
