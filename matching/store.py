"""Building and storing an index: analyses encoded into a TF-IDF matrix with its posting lists,
the candidates' places and availability as arrays, and saving them without pickle (numpy arrays in
an ``.npz`` file plus one JSON document in it)."""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from itertools import chain, count as _count
from pathlib import Path
from typing import Any, Iterable, Mapping, Self, Sequence

import numpy as np
import scipy.sparse as sp

from .analyzer import Analysis, Analyzer, default_analyzer
from .constraints import haversine_km
from .evidence import Side
from .pool import _analyze_texts, _without_gc, analyze_many, start_in_workers
from .places import default_gazetteer
from .schema import Candidate
from .settings import default_settings
from .scoring import is_wide_area, says_all_hokkaido

logger = logging.getLogger(__name__)

INDEX_FORMAT = "matching-index-4"


_EMPTY: frozenset[str] = frozenset()


# What the analysis of a chunk of texts gives the index: the chunk's terms in order of first
# occurrence, per term occurrence its column in that list and its sub-linear weight, terms per text,
# and per text the space-joined primary terms, synonyms used, laws and surface forms.
EncodedAnalyses = tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str], list[Any], list[frozenset[str]],
                        list[Any], list[frozenset[str]], list[Any]]


def encode_analyses(analyses: Sequence[Analysis]) -> EncodedAnalyses:
    """The compact form of ``analyses`` for ``Index`` (loops run in C: map, chain, dict.fromkeys)."""
    term_dicts = [a.terms for a in analyses]
    lengths = np.fromiter(map(len, term_dicts), dtype=np.int64, count=len(term_dicts))
    all_terms = list(chain.from_iterable(term_dicts))
    local = dict(zip(dict.fromkeys(all_terms), _count()))
    # int32: half the bytes a worker sends back (a chunk's vocabulary is far below 2**31 terms).
    cols = np.fromiter(map(local.__getitem__, all_terms), dtype=np.int32, count=len(all_terms))
    tf = np.fromiter(chain.from_iterable(map(dict.values, term_dicts)), dtype=np.float64, count=cols.size)
    tf = np.where(tf > 1.0, 1.0 + np.log(np.maximum(tf, 1.0)), tf)  # ``term_weight``, done by the workers
    wakati = [" ".join(a.primary) for a in analyses]  # unsorted: sorting was a tenth of the encoding
    synonyms = [sorted(set(a.synonyms)) if a.synonyms else () for a in analyses]
    laws = [frozenset(a.laws) if a.laws else _EMPTY for a in analyses]
    surfaces = [a.surfaces or None for a in analyses]
    excluded = [a.excluded or _EMPTY for a in analyses]
    asks = [a.asks for a in analyses]
    return list(local), cols, tf, lengths, wakati, synonyms, laws, surfaces, excluded, asks


def _analyze_and_encode(texts: list[str]) -> EncodedAnalyses:
    with _without_gc():
        return encode_analyses(_analyze_texts(texts))


class _Merged:
    """Encoded chunks joined in order, as they arrive: one vocabulary in order of first occurrence
    (as for one chunk), term columns renumbered into it, and the per-text lists."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self._cols: list[np.ndarray] = []
        self._tf: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []
        self.wakati: list[str] = []
        self.synonyms: list[Any] = []
        self.laws: list[frozenset[str]] = []
        self.surfaces: list[Any] = []
        self.excluded: list[frozenset[str]] = []
        self.asks: list[Any] = []

    def add(self, part: EncodedAnalyses) -> None:
        terms, cols, tf, lengths, wakati, synonyms, laws, surfaces, excluded, asks = part
        vocab = self.vocab
        vocab.update(zip([t for t in terms if t not in vocab], _count(len(vocab))))
        # 32-bit columns: half the memory traffic of the last steps (np.fromiter refuses overflow).
        self._cols.append(np.fromiter(map(vocab.__getitem__, terms), dtype=np.int32, count=len(terms))[cols]
                          if terms else cols)
        self._tf.append(tf)
        self._lengths.append(lengths)
        self.wakati += wakati
        self.synonyms += synonyms
        self.laws += [law if law else _EMPTY for law in laws]
        self.surfaces += surfaces
        self.excluded += excluded
        self.asks += asks

    @classmethod
    def of(cls, analyses: Sequence[Analysis]) -> "_Merged":
        """``analyses`` made in this process, as one chunk."""
        merged = cls()
        merged.add(encode_analyses(analyses))
        return merged

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Term columns, term weights and terms per text of all chunks."""
        if not self._cols:
            return np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0, dtype=np.int64)
        return np.concatenate(self._cols), np.concatenate(self._tf), np.concatenate(self._lengths)


@dataclass(frozen=True)
class CorpusStats:
    """Document frequencies of a whole catalogue (``n`` documents; ``df``: term -> documents with
    it). An index built over part of the catalogue with these stats weighs terms as the whole
    catalogue's index does, so its scores are the same (``Index.corpus_stats``)."""

    n: int
    df: Mapping[str, int]


def _checked(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates as a list, refused when one is not a Candidate or an id comes twice."""
    items = list(candidates)
    seen: set[str] = set()
    for c in items:
        if not isinstance(c, Candidate):
            raise TypeError(f"Index.build takes Candidate objects, not {type(c).__name__}")
        if c.id in seen:
            raise ValueError(f"duplicate candidate id {c.id!r}")
        seen.add(c.id)
    return items


class IndexData:
    """The data of an index over candidates: built from their texts (or stored analyses), saved and
    loaded; ``matching.Index`` adds ranking and explaining. Read-only once built."""

    def __init__(self, candidates: list[Candidate], analyses: list[Analysis], analyzer: Analyzer,
                 corpus: CorpusStats | None = None) -> None:
        merged = _Merged.of(analyses)
        self._index_analysed(candidates, merged, [a.tag_terms for a in analyses], analyzer, corpus)

    def _index_analysed(self, candidates: list[Candidate], merged: "_Merged", tag_terms: list[frozenset[str] | None],
                        analyzer: Analyzer, corpus: CorpusStats | None) -> None:
        self._index_candidates(candidates, analyzer)
        self._index_terms(merged, corpus)
        if any(t is not None for t in tag_terms):
            self.tag_terms = tag_terms

    def _index_candidates(self, candidates: list[Candidate], analyzer: Analyzer) -> None:
        """Everything but the text: kinds, places, availability, id order (no analysis needed)."""
        self.candidates = candidates
        self.analyzer = analyzer
        self.position = {c.id: i for i, c in enumerate(candidates)}
        n = len(candidates)
        self.support = [frozenset(c.support) if c.support else _EMPTY for c in candidates]
        kinds = sorted({c.kind for c in candidates})
        self.kind_codes = {k: i for i, k in enumerate(kinds)}
        self.kind = np.array([self.kind_codes[c.kind] for c in candidates], dtype=np.int16)
        self.lat = np.array([c.lat if c.lat is not None else np.nan for c in candidates], dtype=np.float64)
        self.lon = np.array([c.lon if c.lon is not None else np.nan for c in candidates], dtype=np.float64)
        self._trig = (np.radians(self.lat), np.radians(self.lon), np.cos(np.radians(self.lat)))
        self.wide_area = np.array([is_wide_area(c) for c in candidates], dtype=bool)
        self._index_service_areas(candidates)
        self._settings: list[frozenset[str] | None] = [None] * len(candidates)  # made on first use
        owner, start, end = [], [], []
        for i, c in enumerate(candidates):
            for a, b in c.available:
                owner.append(i)
                start.append(a.toordinal())
                end.append(b.toordinal())
        self.av_owner = np.asarray(owner, dtype=np.int64)
        self.av_start = np.asarray(start, dtype=np.int64)
        self.av_end = np.asarray(end, dtype=np.int64)
        self.has_available = np.zeros(n, dtype=bool)
        self.has_available[self.av_owner] = True
        ids = [c.id for c in candidates]
        self.ids_sorted_rank = np.array(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[self.ids_sorted_rank] = np.arange(n)
        self.tag_terms: list[frozenset[str] | None] = [None] * n  # stored analyses' tag terms

    def _index_service_areas(self, candidates: list[Candidate]) -> None:
        """Area-bound organisations: the municipalities each works in (from ``service_area``, or
        read from its text), as flat arrays of (owner, municipality point, municipality number);
        and the radius of those bound to a circle around their point (``service_radius_km``)."""
        gaz = default_gazetteer()
        numbers = {m: k for k, m in enumerate(sorted(gaz.municipalities))}
        owner, lat, lon, code = [], [], [], []
        self.service_radius = np.full(len(candidates), np.nan)
        self.service_area: dict[int, frozenset[str]] = {}
        for i, c in enumerate(candidates):
            if c.service_scope in ("hokkaido", "nationwide") or (self.wide_area[i] and says_all_hokkaido(c)):
                continue
            if c.service_area:
                area = frozenset().union(*(gaz.lookup(p) for p in c.service_area))
            elif c.service_radius_km is not None and c.lat is not None and c.lon is not None:
                self.service_radius[i] = float(c.service_radius_km)
                continue
            elif c.kind != "site":  # sites have their own point; an organisation may say where it works
                area = gaz.restricted_area(f"{c.name} {c.text}")
            else:
                continue
            if area:
                self.wide_area[i] = False  # "出張測定は釧路・根室管内に限る": travels, but only there
                self.service_area[i] = area
                for m in sorted(area):
                    p = gaz.municipalities[m]
                    owner.append(i)
                    lat.append(p.lat)
                    lon.append(p.lon)
                    code.append(numbers[m])
        # Each site's municipality (its number; -1 unknown): the one its ``municipality`` names, else
        # the one whose office is nearest its point (within 30 km), for queries that name an area.
        self.site_municipality = np.full(len(candidates), -1, dtype=np.int64)
        offices = [gaz.municipalities[m] for m in sorted(gaz.municipalities)]
        off_lat = np.array([p.lat for p in offices])
        off_lon = np.array([p.lon for p in offices])
        for i, c in enumerate(candidates):
            if c.kind != "site":
                continue
            named = gaz.lookup(c.municipality) if c.municipality else frozenset()
            if len(named) == 1:
                self.site_municipality[i] = numbers[next(iter(named))]
            elif c.lat is not None and c.lon is not None:
                d = haversine_km(c.lat, c.lon, off_lat, off_lon)
                if d.min() <= 30.0:
                    self.site_municipality[i] = int(d.argmin())
        self.area_owner = np.asarray(owner, dtype=np.int64)
        self.area_lat = np.asarray(lat, dtype=np.float64)
        self.area_lon = np.asarray(lon, dtype=np.float64)
        self.area_code = np.asarray(code, dtype=np.int64)
        self.municipality_numbers = numbers

    def _index_terms(self, merged: _Merged, corpus: CorpusStats | None = None) -> None:
        """The TF-IDF matrix, its postings and the evidence of every candidate's analysis."""
        n = len(self.candidates)
        if len(merged.wakati) != n:
            raise ValueError(f"{len(merged.wakati)} analyses for {n} candidates")
        vocab = merged.vocab
        cols, tfw, lengths = merged.arrays()
        # Rows come grouped by candidate with no repeated term: the CSR arrays are the inputs.
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        self.vocab = vocab
        df = np.bincount(cols, minlength=len(vocab))
        self.corpus = corpus
        if corpus is None:
            self.idf = np.log((n + 1) / (df + 1)) + 1.0
        else:  # the whole catalogue's weights (a term it lacks counts with this index's frequency)
            whole = np.fromiter((corpus.df.get(t, d) for t, d in zip(vocab, df.tolist())), dtype=np.float64,
                                count=len(vocab))
            self.idf = np.log((corpus.n + 1) / (whole + 1)) + 1.0
        data = tfw * self.idf[cols]
        squares = np.zeros(n)  # per row, summed over its slice of ``data`` (empty rows stay 0)
        filled = lengths > 0
        if data.size:
            squares[filled] = np.add.reduceat(data * data, indptr[:-1][filled])
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, lengths)
        self._set_matrix(sp.csr_matrix((data, cols, indptr), shape=(n, len(vocab))), self.idf)
        # Terms found literally (not only as glosses), space-joined in no particular order: the
        # rapidfuzz rerank string (token_set_ratio sorts the words itself) and, split again, the
        # evidence of an explanation.
        self.wakati = merged.wakati
        self.synonyms = merged.synonyms
        self.laws = merged.laws
        self.surfaces = merged.surfaces  # term -> word as written (evidence)
        self.excluded = merged.excluded  # terms each text says it does not do or have
        self.asks = merged.asks  # (relief, obstacle) English terms of each text that asks for something

    def _set_matrix(self, x: sp.csr_matrix, idf: np.ndarray) -> None:
        """The normalised TF-IDF matrix (rows: candidates, columns: ``self.vocab``) and what is
        derived from it: posting lists, document frequencies, the term of each column."""
        self._place_ids: np.ndarray | None = None  # place-name term ids, made on first use (Index)
        self.idf = idf
        self.x = x
        self.x.sort_indices()
        self.postings = self.x.T.tocsr()  # term -> (documents, weights)
        self.df = np.diff(self.postings.indptr)
        self.terms = np.empty(len(self.vocab), dtype=object)
        self.terms[list(self.vocab.values())] = list(self.vocab.keys())
        self.ascii_vocab = [t for t in self.vocab if t.isascii() and t.isalpha() and len(t) >= 3]

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def build(cls, candidates: Iterable[Candidate], analyzer: Analyzer | None = None,
              workers: int | None = None, *, analyses: Sequence[Analysis | dict[str, Any]] | None = None,
              corpus: CorpusStats | None = None) -> Self:
        """Analyse and index ``candidates`` (``Candidate`` objects; ``Candidate.from_dict`` reads
        the JSON Lines format).

        ``workers > 1`` analyses large catalogues in that many processes (default analyser only);
        ``None`` (default) uses all cores (up to 4) from 20,000 candidates on, one process below.
        ``analyses`` (one per candidate, in order: ``Analysis`` objects or their ``to_json()``
        values, made by ``Analyzer.analyze_candidate``) are indexed as they are, without analysing
        again; the index ranks exactly as one built from the texts. ``corpus`` weighs terms by a
        whole catalogue's document frequencies (see ``CorpusStats``).
        """
        if analyses is not None:
            return cls.from_chunks([(list(candidates), analyses)], analyzer, corpus)
        items = _checked(candidates)
        with _without_gc():  # 100,000s of new objects and no cycles among them
            return cls._build(items, analyzer, workers, corpus)

    @classmethod
    def from_chunks(cls, chunks: Iterable[tuple[Sequence[Candidate], Sequence[Analysis | dict[str, Any]]]],
                    analyzer: Analyzer | None = None, corpus: CorpusStats | None = None) -> Self:
        """``build`` from stored analyses that come in chunks of (candidates, their analyses): each
        chunk's analyses are encoded, then dropped before the next chunk is read, so a large catalogue's
        analyses (about 12 KB each as objects) are never all in memory at once. The same index."""
        items: list[Candidate] = []
        merged, tag_terms = _Merged(), []
        with _without_gc():  # 100,000s of new objects and no cycles among them
            for candidates, analyses in chunks:
                stored = [a if isinstance(a, Analysis) else Analysis.from_json(a) for a in analyses]
                if len(stored) != len(candidates):
                    raise ValueError(f"{len(stored)} analyses for {len(candidates)} candidates")
                items += candidates
                merged.add(encode_analyses(stored))
                tag_terms += [a.tag_terms for a in stored]
            index = cls.__new__(cls)
            index._index_analysed(_checked(items), merged, tag_terms, analyzer or default_analyzer(), corpus)
        return index

    @classmethod
    def _build(cls, cands: list[Candidate], analyzer: Analyzer | None,
               workers: int | None, corpus: CorpusStats | None = None) -> Self:
        t0 = time.perf_counter()
        texts = [c.full_text() for c in cands]
        # Workers send back term columns and a chunk vocabulary, not thousands of small objects;
        # this process builds the candidates and indexes everything but the text meanwhile.
        wait = start_in_workers(_analyze_and_encode, texts, workers) if analyzer is None else None
        index = cls.__new__(cls)
        try:
            index._index_candidates(cands, analyzer or default_analyzer())
        except BaseException:
            if wait is not None:
                wait(cancel=True)
            raise
        merged = _Merged()  # chunks are joined as they come, while the workers go on
        if wait is None or wait(each=merged.add) is None:  # no workers, or they failed (maybe midway)
            merged = _Merged.of(analyze_many(texts, analyzer, workers=1))
        t1 = time.perf_counter()
        index._index_terms(merged, corpus)
        logger.info("indexed %d candidates: analysis %.2f s, index %.2f s", len(cands), t1 - t0,
                    time.perf_counter() - t1)
        return index

    def __len__(self) -> int:
        return len(self.candidates)

    def corpus_stats(self) -> CorpusStats:
        """This index's document frequencies, for indexes built over part of its candidates."""
        return CorpusStats(len(self.candidates), dict(zip(self.vocab, self.df.tolist())))

    # -- persistence --------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the index to ``path``: an ``.npz`` file (no pickle) with the term matrix and weights
        as arrays and the candidates, vocabulary and evidence as one JSON document.

        Building costs about 0.5 ms of CPU per document, so an app can keep a cache file and
        rebuild it only when the catalogue changes (or build from stored analyses).
        """
        meta = {
            "format": INDEX_FORMAT, "version": self.analyzer.version,
            "candidates": [c.to_dict() for c in self.candidates], "terms": list(self.vocab),
            "wakati": self.wakati, "synonyms": [[list(p) for p in s] for s in self.synonyms],
            "laws": [sorted(law) for law in self.laws], "surfaces": self.surfaces,
            "tag_terms": [sorted(t) if t is not None else None for t in self.tag_terms],
            "excluded": [sorted(e) for e in self.excluded],
            "asks": self.asks,
            "corpus": [self.corpus.n, dict(self.corpus.df)] if self.corpus is not None else None,
        }
        blob = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        with Path(path).open("wb") as fh:
            np.savez(fh, meta=blob, data=self.x.data, indices=self.x.indices, indptr=self.x.indptr, idf=self.idf)

    @classmethod
    def load(cls, path: str | Path, analyzer: Analyzer | None = None) -> Self:
        """Read an index written by ``save`` (with the default analyser unless one is given; an
        analyser of another version than the one that built the index is refused)."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode("utf-8"))
                arrays = {k: z[k] for k in ("data", "indices", "indptr", "idf")}
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"{path}: not a saved index ({exc})") from exc
        if meta.get("format") != INDEX_FORMAT:
            raise ValueError(f"{path}: not an index of format {INDEX_FORMAT}")
        analyzer = analyzer or default_analyzer()
        if meta["version"] != analyzer.version:
            raise ValueError(f"{path}: built by analyser {meta['version']}, not {analyzer.version}")
        index = cls.__new__(cls)
        cands = [Candidate.from_dict(d) for d in meta["candidates"]]
        index._index_candidates(cands, analyzer)
        index.tag_terms = [frozenset(t) if t is not None else None for t in meta["tag_terms"]]
        corpus = meta["corpus"]
        index.corpus = CorpusStats(corpus[0], corpus[1]) if corpus is not None else None
        index.vocab = dict(zip(meta["terms"], _count()))
        x = sp.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=(len(cands), len(index.vocab)))
        index._set_matrix(x, arrays["idf"])
        index.wakati = meta["wakati"]
        index.synonyms = [[tuple(p) for p in s] if s else () for s in meta["synonyms"]]
        index.laws = [frozenset(law) if law else _EMPTY for law in meta["laws"]]
        index.surfaces = meta["surfaces"]
        index.excluded = [frozenset(e) if e else _EMPTY for e in meta["excluded"]]
        index.asks = [tuple(a) if a is not None else None for a in meta["asks"]]
        return index

    def side(self, i: int) -> Side:
        """Candidate ``i`` as one side of an explanation (its text and the words behind its terms)."""
        return Side(self.candidates[i].full_text(), self.primary_terms(i), self.surfaces[i] or {}, self.synonyms[i])


    def settings_of(self, i: int) -> frozenset[str]:
        """The setting and object groups candidate ``i`` names (read on first use and kept: only
        queries that name a setting ask, and only for the candidates they score)."""
        got = self._settings[i]
        if got is None:
            c = self.candidates[i]
            got = self._settings[i] = default_settings().groups(" ".join((c.name, c.text, " ".join(c.tags))))
        return got

    def primary_terms(self, i: int) -> set[str]:
        """Terms of candidate ``i`` found literally in its text (not only as glosses)."""
        return set(self.wakati[i].split(" ")) if self.wakati[i] else set()

    def _terms_of(self, i: int) -> set[str]:
        lo, hi = self.x.indptr[i], self.x.indptr[i + 1]
        return set(self.terms[self.x.indices[lo:hi]])

