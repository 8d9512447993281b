"""Group article vectors into stories: online assignment and batch re-clustering.

Online (:class:`OnlineClusterer`): each new article joins the story whose
centroid it is most similar to, if that similarity reaches ``threshold``
and the article's date falls within ``window_days`` of the story's time span;
otherwise it starts a new story. Candidate stories come from an approximate
nearest-neighbour index of all stored article vectors (faiss HNSW, inner
product on L2-normalised vectors), never from a comparison with every story,
so the cost of one article grows with log(n), not n. Articles without a
date are not constrained by the window (content alone decides).
An all-zero vector marks a content-free article (see
:func:`newsweave.stories.represent.content_free`): it always starts a story
of its own, even when it nearly copies another article.

Batch clustering (:func:`newsweave.stories.batch.batch_cluster`) builds on
the online pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import require

DAY = 86400.0
RECENT = 5000  # the last RECENT indexed vectors are also searched exactly


@dataclass
class ClusterParams:
    """Knobs of the story clustering (stored with the database)."""

    threshold: float = 0.2  # min story_score() for an article to join a story
    window_days: float = 30.0  # max gap between an article and its story's span
    neighbours: int = 20  # ANN neighbours looked at per article
    refine_passes: int = 2  # batch mode: reassignment passes
    merge_threshold: float = 0.6  # batch mode: centroid cosine to merge two stories
    # batch mode: an article left alone joins the best story among its
    # neighbours' at attach_ratio x threshold when that story beats the next
    # best by attach_margin (see _attach)
    attach_ratio: float = 0.75
    attach_margin: float = 0.02

    @property
    def window(self) -> float:
        return self.window_days * DAY


def _faiss():
    return require("faiss", "the faiss ANN index (faiss-cpu)", "pip install faiss-cpu")


def story_score(vector: np.ndarray, total: np.ndarray, count: int) -> float:
    """How well an article fits a story whose member vectors sum to ``total``.

    The mean of the cosine to the story centroid and the average similarity
    to its members: the centroid term lets a coherent story grow, the
    average term keeps a large, diffuse story from absorbing every loosely
    related article.
    """
    norm = float(np.linalg.norm(total))
    if not norm or not count:
        return 0.0
    dot = float(vector @ total)
    return 0.5 * dot / norm + 0.5 * dot / count


def clear_choice(
    scores: Iterable[tuple[float, int]], params: ClusterParams
) -> tuple[int, float] | None:
    """The second-chance rule: of ``(story_score, story)`` candidates for an
    article left alone, the best one when it reaches ``attach_ratio`` x
    ``threshold`` and beats the second best by ``attach_margin``; else None."""
    if params.attach_ratio >= 1.0:
        return None
    ranked = sorted(scores, reverse=True)
    if not ranked:
        return None
    (best, story), second = ranked[0], (ranked[1][0] if len(ranked) > 1 else 0.0)
    if best >= params.attach_ratio * params.threshold and best - second >= params.attach_margin:
        return story, best
    return None


def index_storage(index) -> np.ndarray:
    """A writable (n, d) float32 view of the vectors held by a flat-storage
    HNSW index (no copy: writing to it changes the index)."""
    faiss = _faiss()
    storage = faiss.downcast_index(index.storage)
    n, d = int(index.ntotal), int(index.d)
    if n == 0:
        return np.zeros((0, d), dtype=np.float32)
    return faiss.rev_swig_ptr(storage.get_xb(), n * d).reshape(n, d)


def new_index(dim: int):
    """An empty HNSW inner-product index for ``dim``-dimensional vectors."""
    faiss = _faiss()
    index = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 40
    index.hnsw.efSearch = 64
    return index


@dataclass
class _Stories:
    """Running story statistics: vector sums, sizes and time spans."""

    dim: int
    ids: list[int] = field(default_factory=list)
    pos: dict[int, int] = field(default_factory=dict)
    sums: np.ndarray = field(init=False)
    count: list[int] = field(default_factory=list)
    first: list[float | None] = field(default_factory=list)
    last: list[float | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sums = np.zeros((16, self.dim), dtype=np.float32)

    def slot(self, story: int) -> int:
        p = self.pos.get(story)
        if p is None:
            p = len(self.ids)
            if p >= len(self.sums):
                grown = np.zeros((max(16, 2 * len(self.sums)), self.dim), dtype=np.float32)
                grown[: len(self.sums)] = self.sums
                self.sums = grown
            self.ids.append(story)
            self.pos[story] = p
            self.count.append(0)
            self.first.append(None)
            self.last.append(None)
        return p

    def add(self, story: int, vector: np.ndarray, ts: float | None) -> None:
        p = self.slot(story)
        self.sums[p] += vector
        self.count[p] += 1
        if ts is not None:
            f, la = self.first[p], self.last[p]
            self.first[p] = ts if f is None else min(f, ts)
            self.last[p] = ts if la is None else max(la, ts)

    def fits(self, p: int, ts: float | None, window: float) -> bool:
        """Whether an article dated ``ts`` falls within ``window`` of story ``p``."""
        f, la = self.first[p], self.last[p]
        if ts is None or f is None or la is None:
            return True
        return f - window <= ts <= la + window

    def similarity(self, p: int, vector: np.ndarray) -> float:
        return story_score(vector, self.sums[p], self.count[p])

    def centroid(self, story: int) -> np.ndarray:
        return self.sums[self.pos[story]].copy()


@dataclass
class Move:
    """An article moved to another story by :meth:`OnlineClusterer.second_chance`."""

    position: int  # index position of the article
    old: int  # story it leaves (it was alone there)
    new: int  # story it joins
    score: float  # its story_score() with the story it joins


class OnlineClusterer:
    """Assign articles to stories one batch at a time (see module docstring).

    ``next_id`` returns a fresh story id whenever a story is started.
    """

    def __init__(self, dim: int, params: ClusterParams, next_id: Callable[[], int]) -> None:
        self.dim = dim
        self.params = params
        self.next_id = next_id
        self.index = new_index(dim)
        self.labels = np.zeros(0, dtype=np.int64)  # story of every indexed article
        self.times: list[float | None] = []  # date of every indexed article
        self.stories = _Stories(dim)
        # the most recently added vectors, searched exactly: HNSW can miss
        # the few neighbours of a new topic that sits far from the rest
        self.recent = np.zeros((0, dim), dtype=np.float32)
        self.recent_pos = np.zeros(0, dtype=np.int64)

    def _remember(self, vectors: np.ndarray, first_pos: int) -> None:
        keep = max(0, RECENT - len(vectors))
        pos = np.arange(first_pos, first_pos + len(vectors), dtype=np.int64)
        self.recent = np.concatenate([self.recent[len(self.recent) - keep :], vectors[-RECENT:]])
        self.recent_pos = np.concatenate(
            [self.recent_pos[len(self.recent_pos) - keep :], pos[-RECENT:]]
        )

    def reweight(self, factor: np.ndarray) -> None:
        """Multiply every held vector by ``factor`` (one weight per
        dimension) and re-normalise it: the index's stored vectors, the
        recent buffer and the story sums all follow.

        The vectors are rewritten in place in the index's flat storage; the
        HNSW graph keeps the links it chose under the previous weights (a
        re-weighting by document frequencies moves vectors little, the graph
        stays navigable, and every similarity is computed on the current
        vectors). Content-free (zero) vectors stay zero.
        """
        n = int(self.index.ntotal)
        if n == 0:
            return
        factor = np.asarray(factor, dtype=np.float32)
        held = index_storage(self.index)
        sums = self.stories.sums
        sums[:] = 0.0
        slots = np.fromiter((self.stories.pos[int(s)] for s in self.labels), np.int64, n)
        step = 8192
        for start in range(0, n, step):  # in place, a bounded block at a time
            block = held[start : start + step]
            block *= factor
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            block /= norms
            np.add.at(sums, slots[start : start + step], block)
        self.recent = held[self.recent_pos].copy()

    def load(
        self,
        vectors: np.ndarray,
        stories: Sequence[int],
        ts: Sequence[float | None],
        index: object | None = None,
    ) -> None:
        """Take in already-clustered articles (e.g. read back from the database).

        ``index`` is an HNSW index already holding exactly ``vectors`` (a
        cached one); without it the vectors are indexed here.
        """
        if len(vectors) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        for v, s, t in zip(vectors, stories, ts, strict=True):
            self.stories.add(int(s), v, t)
        first = int(self.index.ntotal)
        if index is not None and first == 0:
            self.index = index
        else:
            self.index.add(vectors)
        self._remember(vectors, first)
        self.labels = np.concatenate([self.labels, np.asarray(stories, dtype=np.int64)])
        self.times.extend(ts)

    def _neighbours(
        self, vectors: np.ndarray, ts: Sequence[float | None], floor: float
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """ANN neighbours (similarities, index positions) of each vector.

        A dated article whose neighbours all belong to stories outside its
        time window (the same subject years earlier) is searched again with
        10x more neighbours, so that a story of its own period is not missed.
        """
        n, total = len(vectors), int(self.index.ntotal)
        k = min(self.params.neighbours, total)
        if not k:
            empty = np.zeros(0, dtype=np.int64)
            return [empty.astype(np.float32)] * n, [empty] * n
        sims, nbrs = self.index.search(vectors, k)
        if len(self.recent):
            exact = vectors @ self.recent.T
            kk = min(k, exact.shape[1])
            top = np.argpartition(-exact, kk - 1, axis=1)[:, :kk]
            sims = np.hstack([sims, np.take_along_axis(exact, top, axis=1)])
            nbrs = np.hstack([nbrs, self.recent_pos[top]])
        sims_l, nbrs_l = list(sims), list(nbrs)
        if k >= total:
            return sims_l, nbrs_l
        st, w = self.stories, self.params.window
        again = []
        for i in range(n):
            if ts[i] is None:
                continue
            close = [
                int(self.labels[j])
                for j, s in zip(nbrs[i], sims[i], strict=True)
                if j >= 0 and s >= floor
            ]
            if close and not any(st.fits(st.pos[c], ts[i], w) for c in set(close)):
                again.append(i)
        if again:
            s2, n2 = self.index.search(vectors[again], min(total, 10 * k))
            for row, i in enumerate(again):
                sims_l[i], nbrs_l[i] = s2[row], n2[row]
        return sims_l, nbrs_l

    def second_chance(self, positions: Iterable[int]) -> list[Move]:
        """Move articles left alone to the story they clearly prefer.

        Of the indexed articles at ``positions``, in order, each one still
        alone in its story (and not content-free) joins the best story among
        its neighbours' (within the window) when its score reaches
        ``attach_ratio`` x ``threshold`` and beats the second best by
        ``attach_margin``: the rule of the batch pass
        (:func:`newsweave.stories.batch.batch_cluster`), here for the
        articles one ingest run left alone. A story of one that another
        article just joined is no longer alone. Returns the moves.
        """
        p, st = self.params, self.stories
        alone = [i for i in positions if st.count[st.pos[int(self.labels[i])]] == 1]
        if not alone or p.attach_ratio >= 1.0:
            return []
        held = index_storage(self.index)
        vectors = np.ascontiguousarray(held[alone])
        _, nbrs = self.index.search(vectors, min(p.neighbours, int(self.index.ntotal)))
        moves = []
        for row, i in enumerate(alone):
            v, own, t = vectors[row], int(self.labels[i]), self.times[i]
            if not v.any() or st.count[st.pos[own]] != 1:
                continue
            choice = clear_choice(
                (
                    (st.similarity(st.pos[c], v), c)
                    for c in {int(self.labels[j]) for j in nbrs[row] if j >= 0} - {own}
                    if st.count[st.pos[c]] and st.fits(st.pos[c], t, p.window)
                ),
                p,
            )
            if choice is not None:
                story, best = choice
                st.sums[st.pos[own]] -= v
                st.count[st.pos[own]] -= 1
                st.add(story, v, t)
                self.labels[i] = story
                moves.append(Move(i, own, story, best))
        return moves

    def assign(
        self,
        vectors: np.ndarray,
        ts: Sequence[float | None],
        fixed: Sequence[int | None] | None = None,
        same_as: Sequence[int | None] | None = None,
    ) -> list[tuple[int, float]]:
        """Story id and similarity for each article of a batch, in order.

        ``fixed[i]`` forces article ``i`` into that story, ``same_as[i] = j``
        (``j < i``) into the story of article ``j`` of the batch: a
        near-duplicate joins the story of the article it copies.
        """
        n = len(vectors)
        if n == 0:
            return []
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        p = self.params
        floor = p.threshold * 0.5
        sims, nbrs = self._neighbours(vectors, ts, floor)
        inner = vectors @ vectors.T  # similarities inside the batch
        out: list[tuple[int, float]] = []
        batch_story = np.full(n, -1, dtype=np.int64)
        for i in range(n):
            v, t = vectors[i], ts[i]
            forced = fixed[i] if fixed is not None else None
            if same_as is not None and same_as[i] is not None and same_as[i] < i:
                forced = int(batch_story[same_as[i]])
            if not v.any():  # content-free: a story of its own
                story = self.next_id()
                self.stories.add(story, v, t)
                batch_story[i] = story
                out.append((story, 1.0))
                continue
            if forced is not None and int(forced) in self.stories.pos:
                # a copy published outside the story's window is clustered anew
                if not self.stories.fits(self.stories.pos[int(forced)], t, p.window):
                    forced = None
            if forced is not None:
                story = int(forced)
                self.stories.slot(story)
                sim = self.stories.similarity(self.stories.pos[story], v)
            else:
                cands = {
                    int(self.labels[j])
                    for j, s in zip(nbrs[i], sims[i], strict=True)
                    if j >= 0 and s >= floor
                }
                if i:
                    row = inner[i, :i]
                    top = np.argsort(-row)[: p.neighbours]
                    cands.update(int(batch_story[j]) for j in top if row[j] >= floor)
                story, sim = -1, -1.0
                for c in cands:
                    pos = self.stories.pos[c]
                    if not self.stories.fits(pos, t, p.window):
                        continue
                    s = self.stories.similarity(pos, v)
                    if s > sim:
                        story, sim = c, s
                if sim < p.threshold:
                    story, sim = self.next_id(), 1.0
            self.stories.add(story, v, t)
            batch_story[i] = story
            out.append((story, sim))
        first = int(self.index.ntotal)
        self.index.add(vectors)
        self._remember(vectors, first)
        self.labels = np.concatenate([self.labels, batch_story])
        self.times.extend(ts)
        return out
