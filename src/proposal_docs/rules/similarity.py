"""Which cases of other sessions read most like a given one (`similar`, the site's 往年相似提案).

Members raise the same topics year after year, and the best start for a reply is an earlier
answer to a similar proposal. Cases are compared by their title and the text of their reply.

Why character bigrams: Chinese is written without spaces. A segmenter (jieba and the like) brings
a large dictionary and its own mistakes on new policy words (专精特新, 闲置厂房), while most Chinese
words are two characters long, so the overlapping character pairs of a text carry its words
without a dictionary and catch a word that a segmenter would cut wrongly.

Why TF-IDF cosine, computed with numpy (and scipy.sparse for the site's all pairs): the pairs that every case shares (关于,
建议, 我市, 我局) must count for little, and rare ones (刷业, 家具) for much — inverse document
frequency says exactly that; cosine between length-normalised vectors lets a one-line title
be compared with a long reply. Edit-distance ratios (rapidfuzz) compare whole strings in order, so
a short title against a long reply scores by length, not by topic. scikit-learn's TfidfVectorizer
does the same arithmetic but splits texts in a Python loop; here numpy turns the whole corpus into
code points at once and counts, weighs and scores in C, so 10,000 cases are indexed and searched
in well under a second. A single query needs no matrix product, so `similar` does not pay for
importing scipy (0.2 s, about a fifth of its answer); the site's every-case-against-every-earlier
one does, and hands the same weights to scipy.sparse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .comparable import Comparable

TITLE_WEIGHT = 3.0  # a title says what a case is about; a reply also says much about how it was handled
_COMMON_SHARE, _COMMON_FROM = 0.5, 20  # from 20 cases on, pairs in more than half of them are left out
_CHUNK = 512  # rows multiplied at once when every case is compared with every other: bounds the memory


def _word_characters(codes: np.ndarray) -> np.ndarray:
    """Chinese characters, digits and Latin letters; punctuation and spaces separate words."""
    return (((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x3400) & (codes <= 0x4DBF))
            | ((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0x61) & (codes <= 0x7A)))


def _bigrams(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, bigram id) of every pair of adjacent word characters, for all texts at once."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    lengths = np.fromiter((len(t) for t in texts), np.int64, len(texts))
    codes = np.frombuffer("".join(texts).lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    owner = np.repeat(np.arange(len(texts)), lengths)
    word = _word_characters(codes)
    pair = word[:-1] & word[1:] & (owner[:-1] == owner[1:])  # never across two texts
    ids = (codes[:-1][pair] << np.uint64(21)) | codes[1:][pair]  # a code point has 21 bits
    return owner[:-1][pair], ids


@dataclass
class Weights:
    """A sparse matrix of TF-IDF weights as its non-zero entries, ordered by row, then column
    (scipy's COO form, in the order its CSR form keeps them)."""

    rows: np.ndarray
    columns: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]


@dataclass
class Index:
    """TF-IDF vectors of a list of cases, one row each, rows of unit length."""

    items: list[Comparable]
    vocabulary: np.ndarray  # sorted bigram ids
    idf: np.ndarray
    weights: Weights

    def _vectors(self, texts: Sequence[tuple[str, str]]) -> Weights:
        rows, columns, weights = [], [], []
        for part, weight in ((0, TITLE_WEIGHT), (1, 1.0)):
            owner, ids = _bigrams([text[part] for text in texts])
            where = np.searchsorted(self.vocabulary, ids)
            known = where < len(self.vocabulary)
            known[known] = self.vocabulary[where[known]] == ids[known]
            rows.append(owner[known])
            columns.append(where[known])
            weights.append(np.full(int(known.sum()), weight))
        counts = _counts(np.concatenate(rows), np.concatenate(columns), np.concatenate(weights),
                         (len(texts), len(self.vocabulary)))
        return _weighted(counts, self.idf)

    def scores(self, title: str, body: str = "") -> np.ndarray:
        """Cosine similarity of the given text with every case of the index: for each case, the
        products of its weights with the query's, summed in its row's order."""
        query = self._vectors([(title, body)])
        dense = np.zeros(self.weights.shape[1])
        dense[query.columns] = query.data
        matrix = self.weights
        return np.bincount(matrix.rows, weights=matrix.data * dense[matrix.columns], minlength=matrix.shape[0])


def _counts(rows: np.ndarray, columns: np.ndarray, weights: np.ndarray, shape: tuple[int, int]) -> Weights:
    """How often each text (row) has each bigram (column), a title's pairs counting TITLE_WEIGHT."""
    keys, where = np.unique(rows.astype(np.int64) * shape[1] + columns, return_inverse=True)
    return Weights(keys // shape[1], keys % shape[1], np.bincount(where.ravel(), weights=weights), shape)


def _weighted(counts: Weights, idf: np.ndarray) -> Weights:
    """The counts as sublinear term frequency (1 + log tf) times idf, rows of unit length."""
    data = (1.0 + np.log(counts.data)) * idf[counts.columns]
    kept = data != 0  # the pairs too common to count
    rows, columns, data = counts.rows[kept], counts.columns[kept], data[kept]
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    data *= (1.0 / norms)[rows]
    return Weights(rows, columns, data, counts.shape)


def build_index(items: Sequence[Comparable]) -> Index:
    items = list(items)
    texts = [(item.title, item.text) for item in items]
    owners, ids, weights = [], [], []
    for part, weight in ((0, TITLE_WEIGHT), (1, 1.0)):
        owner, found = _bigrams([text[part] for text in texts])
        owners.append(owner)
        ids.append(found)
        weights.append(np.full(len(found), weight))
    all_ids = np.concatenate(ids)
    vocabulary, columns = np.unique(all_ids, return_inverse=True)
    rows = np.concatenate(owners)
    counts = _counts(rows, columns, np.concatenate(weights), (len(items), len(vocabulary)))
    # document frequency: in how many cases each bigram occurs at least once (a stored count is never 0)
    df = np.bincount(counts.columns, minlength=len(vocabulary))
    idf = np.log((1 + len(items)) / (1 + df)) + 1.0
    if len(items) >= _COMMON_FROM:  # pairs in most cases (关于, 建议, 我局) tell nothing and cost the most
        idf[df > _COMMON_SHARE * len(items)] = 0.0
    return Index(items, vocabulary, idf, _weighted(counts, idf))


@dataclass(frozen=True)
class Match:
    item: Comparable
    score: float  # cosine similarity, 0 to 1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar_to(index: Index, title: str, body: str = "", *, exclude_session: tuple[int, str] | None = None,
               exclude_file: str | None = None, limit: int = 5) -> list[Match]:
    """The cases of the index most like the text, best first; cases of the given (year, session)
    and the given file itself left out, and cases sharing no word pair with it never listed."""
    scores = index.scores(title, body)
    order = np.argsort(-scores, kind="stable")
    found = []
    for i in order:
        if scores[i] <= 0 or len(found) >= limit:
            break
        item = index.items[i]
        if item.rel == exclude_file or (item.year, item.session) == exclude_session:
            continue
        found.append(Match(item, float(scores[i])))
    return found


def earlier_years_alike(index: Index, limit: int = 3) -> dict[str, list[Match]]:
    """For every case of the index, the cases of earlier years most like it (往年相似提案), by file.

    All pairs at once, a year's cases against those of the years before it, a chunk of rows at
    a time (the product of two sparse matrices, in C); the best of each row by argpartition.
    """
    from scipy import sparse  # products of sparse matrices in C: only the site's all pairs need them

    weights = index.weights
    matrix = sparse.csr_matrix((weights.data, (weights.rows, weights.columns)), shape=weights.shape)
    years = np.array([item.year for item in index.items], dtype=np.int64)
    result: dict[str, list[Match]] = {item.rel: [] for item in index.items}
    for year in np.unique(years):
        rows, columns = np.flatnonzero(years == year), np.flatnonzero(years < year)
        if not columns.size:
            continue
        earlier = matrix[columns].T.tocsc()
        keep = min(limit, columns.size)
        for start in range(0, rows.size, _CHUNK):
            chunk = rows[start:start + _CHUNK]
            block = (matrix[chunk] @ earlier).toarray()
            best = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
            for row, scores, picks in zip(chunk, block, best):
                matches = [Match(index.items[columns[j]], float(scores[j])) for j in picks if scores[j] > 0]
                matches.sort(key=lambda m: (-m.score, m.item.rel))
                result[index.items[row].rel] = matches
    return result
