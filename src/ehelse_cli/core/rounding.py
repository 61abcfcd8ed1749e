"""Round once: a whole allocation is computed exactly, then rounded to whole øre in one step.

The rule («avrunding én gang»). Every amount is first worked out exactly, as a fraction of an øre, for
each cell: (segment, payer, component, part, month) where a key works month by month, else (segment,
payer, component, part) for the year. The cells are then rounded together so that
1. each cell is its exact value rounded down or up to the øre;
2. each payer's total in a segment (over components, parts and months), and each of its lines (its
   months of one component and part), is its exact total rounded down or up, so payers with equal
   exact totals pay at most one øre apart;
3. each segment's total, and each total of (component, segment), (component, segment, part) and
   (component, segment, part, month), is its exact total rounded down or up; each component's total is
   exactly its budget line, so the whole adds up to the budget;
4. where the øre left over in a sum cannot go to every candidate, they go to the candidates owed the
   most: a payer's (or segment's) exact amount so far, up to and including this cell, less the øre it
   has got so far, taking components, segments, parts and months in model order (for a payer's first
   cell simply the largest remainder; within a line of months, what the line is owed comes first).
   Ties, as between payers with equal weights, go by a hash: the SHA-256 digest of «year/solution
   id/payer id» (segment id for segments), smallest first. It is stable across runs and machines but
   differs from year to year and solution to solution, so the same payers are not always the ones who
   get the øre.

This is controlled rounding on two laminar families of sums, the columns (component ⊃ segment ⊃ part ⊃
month ⊃ cell) and the rows (segment ⊃ payer ⊃ line ⊃ cell): a network flow whose every node lies between the
floor and the ceiling of its exact value, so an integral solution always exists (the constraint matrix
is totally unimodular). `round_once` takes the floors, hands out the øre left over top-down through the
columns by the order of rule 4, and then moves single øre along augmenting paths in the residual graph
until every row bound holds (Hoffman: such a path exists while a feasible rounding exists).

The same function splits an invoice line's year into billing terms: the lines are the columns (each
exactly its amount), the terms the rows (each term's total within one øre of exact).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Sequence
from fractions import Fraction
from itertools import compress, count, repeat
from operator import add, itemgetter, mul, sub
from typing import Literal, TypeAlias


class Leaf:
    """A run of cells that share a column (e.g. one component, segment, part and month) and a row group
    (e.g. the segment): cell i is row `rows[i]` of the group, with exact value `nums[i] / den` øre. Runs with
    the same `line` (e.g. the twelve months of one component and part) make one line per row, whose sum
    is a row sum of its own: group ⊃ row ⊃ line ⊃ cell."""

    __slots__ = ("den", "group", "line", "nums", "path", "rows")

    def __init__(
        self,
        path: tuple[Hashable, ...],
        group: Hashable,
        rows: Sequence[int],
        nums: Sequence[int],
        den: int,
        line: Hashable = None,
    ) -> None:
        if den <= 0:
            raise ValueError("the denominator must be positive")
        if len(rows) != len(nums):
            raise ValueError("rows and nums differ in length")
        self.path = path
        self.group = group
        self.rows = rows
        self.nums = nums
        self.den = den
        self.line = line


def hash_rank(salt: str, ident: str) -> bytes:
    """Rule 4's tie-break: the SHA-256 digest of «salt/id» (UTF-8), smallest first."""
    return hashlib.sha256(f"{salt}/{ident}".encode()).digest()


class _Node:
    """A column sum: the root is a component (its exact total must be whole øre), the leaves runs of cells."""

    __slots__ = ("children", "e", "group", "hi", "k", "key", "leaf", "lo", "parent")

    def __init__(self, key: Hashable, parent: _Node | None) -> None:
        self.key = key
        self.parent = parent
        self.children: list[_Node] = []
        self.leaf = -1  # index of its Leaf where the node is one
        self.e = Fraction(0)  # exact øre above the cells' floors
        self.lo = self.hi = self.k = 0  # bounds and the øre handed out
        self.group: Hashable = None  # the row group of every cell below, where there is one


_MIXED = object()  # a node whose cells lie in several row groups


class _Rows:
    """One row group's rows: the exact øre above the floors (as numerators over `scale`) and the øre given."""

    __slots__ = (
        "acc",
        "cells",
        "e",
        "flow",
        "given",
        "handed",
        "hi",
        "ids",
        "lines",
        "lo",
        "processed",
        "processed_rows",
        "ranks",
        "scale",
    )

    def __init__(self, size: int, ids: Sequence[str]) -> None:
        self.scale = 1
        self.acc = [0] * size
        self.cells = [0] * size  # how many cells of the row have a fraction
        self.given = [0] * size  # øre given to the row so far: the flow from the row to its group
        self.processed_rows = [0] * size  # each row's exact øre above the floors so far (over `scale`)
        self.ids = ids
        self.ranks: dict[int, bytes] = {}
        self.e = Fraction(0)
        self.lo = self.hi = self.flow = 0
        self.processed = Fraction(0)  # exact øre of the column sums handed out so far (rule 4's «owed»)
        self.handed = 0
        self.lines: dict[Hashable, _Lines] = {}

    def bounds(self, row: int) -> tuple[int, int]:
        acc = self.acc[row]
        return acc // self.scale, -(-acc // self.scale)


class _Lines:
    """One line of a row group's rows (e.g. a component's months): per row, as in _Rows, on the group's scale."""

    __slots__ = ("acc", "cells", "given", "processed")

    def __init__(self) -> None:
        self.acc: dict[int, int] = defaultdict(int)
        self.cells: dict[int, int] = defaultdict(int)
        self.given: dict[int, int] = defaultdict(int)
        self.processed: dict[int, int] = defaultdict(int)

    def bounds(self, row: int, scale: int) -> tuple[int, int]:
        acc = self.acc[row]
        return acc // scale, -(-acc // scale)


def round_once(leaves: Sequence[Leaf], *, salt: str, row_ids: Callable[[Hashable], Sequence[str]]) -> list[list[int]]:
    """Round every cell of `leaves` to whole øre by the rule above; returns the øre of each leaf's cells.

    `row_ids(group)` gives the ids of a group's rows (for the hash of rule 4). Raises ValueError when a
    column root's exact total is not whole øre (a budget line always is).
    """
    roots: dict[Hashable, _Node] = {}
    nodes: dict[tuple[Hashable, ...], _Node] = {}
    groups: dict[Hashable, _Rows] = {}
    floors: list[list[int]] = []
    rems: list[list[int]] = []
    # Floors and remainders, once per distinct numerator (equal weights give equal numerators)
    for index, leaf in enumerate(leaves):
        split = {n: divmod(n, leaf.den) for n in set(leaf.nums)}
        pairs = list(map(split.__getitem__, leaf.nums))
        floors.append(list(map(itemgetter(0), pairs)))
        rems.append(list(map(itemgetter(1), pairs)))
        node = _node(leaf.path, nodes, roots)
        if node.leaf >= 0 or node.children:
            raise ValueError(f"two runs of cells share the column {leaf.path!r}")
        node.leaf = index
        node.e = Fraction(sum(rems[-1]), leaf.den)
        if leaf.group not in groups:
            ids = row_ids(leaf.group)
            groups[leaf.group] = _Rows(len(ids), ids)
        if node.e:
            rows = groups[leaf.group]
            rows.scale = math.lcm(rows.scale, leaf.den)
    # Each row's exact øre above its floors, as a numerator over the group's common denominator: each cell's
    # remainder on that scale, then the sums per row (list by list where a run covers every row in order)
    scaled_rems: list[list[int]] = []
    for index, leaf in enumerate(leaves):
        rows = groups[leaf.group]
        factor = rows.scale // leaf.den
        scaled = {r: r * factor for r in set(rems[index])}
        mine = list(map(scaled.__getitem__, rems[index]))
        scaled_rems.append(mine)
        if leaf.line is not None:
            line = rows.lines.setdefault(leaf.line, _Lines())
            for row, rem in zip(leaf.rows, mine):
                if rem:
                    line.acc[row] += rem
                    line.cells[row] += 1
        if _whole(leaf, rows):
            rows.acc = list(map(add, rows.acc, mine))
            rows.cells = list(map(add, rows.cells, map(bool, mine)))
            continue
        acc, cells = rows.acc, rows.cells
        for row, rem in zip(leaf.rows, mine):
            if rem:
                acc[row] += rem
                cells[row] += 1
    del rems  # the scaled remainders stand for them from here (a million payers: a list less per run)
    for rows in groups.values():
        rows.e = Fraction(sum(rows.acc), rows.scale)
        rows.lo, rows.hi = math.floor(rows.e), math.ceil(rows.e)
    for root in roots.values():
        _sum_up(root, leaves)
        if root.e.denominator != 1:
            raise ValueError(f"the column {root.key!r} does not add up to whole øre")
        root.lo = root.hi = int(root.e)
    extra = [bytearray(len(leaf.nums)) for leaf in leaves]
    greedy = _Greedy(leaves, scaled_rems, extra, groups, salt)
    for root in roots.values():
        greedy.hand_out(root, root.lo)
    _Repair(leaves, scaled_rems, extra, groups, roots, salt).run()
    return [list(map(add, fl, ex)) if any(ex) else fl for fl, ex in zip(floors, extra)]


def _whole(leaf: Leaf, rows: _Rows) -> bool:
    """Whether the run's cells are every row of its group, in order (a weight key's block)."""
    r = leaf.rows
    return isinstance(r, range) and r.start == 0 and r.step == 1 and len(r) == len(rows.acc)


def _node(path: tuple[Hashable, ...], nodes: dict[tuple[Hashable, ...], _Node], roots: dict[Hashable, _Node]) -> _Node:
    found = nodes.get(path)
    if found is not None:
        return found
    if len(path) == 1:
        node = roots[path[0]] = _Node(path[0], None)
    else:
        parent = _node(path[:-1], nodes, roots)
        if parent.leaf >= 0:
            raise ValueError(f"a run of cells lies under another: {path!r}")
        node = _Node(path[-1], parent)
        parent.children.append(node)
    nodes[path] = node
    return node


def _sum_up(node: _Node, leaves: Sequence[Leaf]) -> None:
    """Each node's exact øre above the floors, its bounds and its row group, bottom-up."""
    if node.leaf >= 0:
        node.group = leaves[node.leaf].group
    else:
        for child in node.children:
            _sum_up(child, leaves)
        node.e = sum((c.e for c in node.children), Fraction(0))
        kinds = {c.group for c in node.children}
        node.group = kinds.pop() if len(kinds) == 1 else _MIXED
    node.lo, node.hi = math.floor(node.e), math.ceil(node.e)


class _Greedy:
    """Hand out each column's øre top-down: largest remainder, then the row group or row owed most, then hash."""

    def __init__(
        self,
        leaves: Sequence[Leaf],
        rems: list[list[int]],
        extra: list[bytearray],
        groups: dict[Hashable, _Rows],
        salt: str,
    ) -> None:
        self.leaves, self.rems, self.extra, self.groups, self.salt = leaves, rems, extra, groups, salt

    def hand_out(self, node: _Node, k: int) -> None:
        node.k = k
        if node.leaf >= 0:
            self._cells(node, k)
            return
        base = [c.lo for c in node.children]
        left = k - sum(base)
        if left:
            fractional = [i for i, c in enumerate(node.children) if c.e != c.lo]
            fractional.sort(key=lambda i: self._order(node, node.children[i]))
            for i in fractional[:left]:
                base[i] += 1
        for child, share in zip(node.children, base):
            if node.group is _MIXED and child.group is not _MIXED:  # the topmost node of one row group
                rows = self.groups[child.group]
                rows.processed += child.e
                rows.handed += share
            self.hand_out(child, share)

    def _order(self, parent: _Node, child: _Node) -> tuple[Fraction, bytes]:
        owed = child.e - child.lo  # the remainder
        if parent.group is _MIXED and child.group is not _MIXED:  # a row group's total: what it is owed so far
            rows = self.groups[child.group]
            owed += rows.processed - rows.handed
        return (-owed, hash_rank(self.salt, str(child.key)))

    def _cells(self, node: _Node, k: int) -> None:
        """The leaf's k øre to the cells whose rows are owed the most (exact so far with this cell, less the
        øre given so far: a row's first cell is its remainder), ties by hash; then the rows' tallies."""
        leaf = self.leaves[node.leaf]
        mine, extra, rows = self.rems[node.leaf], self.extra[node.leaf], self.groups[leaf.group]
        whole = _whole(leaf, rows)
        if k:
            if whole:
                processed, given = rows.processed_rows, rows.given
            else:
                processed = list(map(rows.processed_rows.__getitem__, leaf.rows))
                given = list(map(rows.given.__getitem__, leaf.rows))
            # owed = processed + mine - given × scale, list by list (a cell with no remainder takes nothing)
            owed: list = list(map(sub, map(add, processed, mine), map(mul, given, repeat(rows.scale))))  # type: ignore[type-arg]
            if leaf.line is not None:  # a line's cells: first by what the row's line is owed, then the row
                line = rows.lines[leaf.line]
                owed = [
                    (line.processed[r] + m - line.given[r] * rows.scale, o) for r, m, o in zip(leaf.rows, mine, owed)
                ]
            counts = Counter(compress(owed, mine))
            above = 0
            for cut in sorted(counts, reverse=True):
                if above + counts[cut] >= k:
                    break
                above += counts[cut]
            tied = [i for i, o, m in zip(count(), owed, mine) if o == cut and m]
            wanted = k - above
            if wanted < len(tied):
                tied = _first_by_hash(tied, wanted, leaf, rows, self.salt)
            if above:
                tied += [i for i, o, m in zip(count(), owed, mine) if o > cut and m]
            for i in tied:
                extra[i] = 1
            if leaf.line is not None:
                line = rows.lines[leaf.line]
                for i in tied:
                    line.given[leaf.rows[i]] += 1
            if whole:
                rows.given = list(map(add, rows.given, extra))
            else:
                for i in tied:
                    rows.given[leaf.rows[i]] += 1
        if leaf.line is not None:
            line = rows.lines[leaf.line]
            for row, m in zip(leaf.rows, mine):
                if m:
                    line.processed[row] += m
        if whole:
            rows.processed_rows = list(map(add, rows.processed_rows, mine))
        else:
            processed_rows = rows.processed_rows
            for row, m in zip(leaf.rows, mine):
                if m:
                    processed_rows[row] += m


def _first_by_hash(cells: list[int], wanted: int, leaf: Leaf, rows: _Rows, salt: str) -> list[int]:
    """The `wanted` cells of a tie whose rows come first by hash."""
    ranks = _ranks(rows, [leaf.rows[i] for i in cells], salt)
    order = range(len(cells))
    chosen = (
        heapq.nsmallest(wanted, order, key=ranks.__getitem__)
        if wanted * 8 < len(cells)
        else sorted(order, key=ranks.__getitem__)[:wanted]
    )
    return [cells[j] for j in chosen]


def _ranks(rows: _Rows, which: list[int], salt: str) -> list[bytes]:
    """The hash ranks of some rows of a group, each worked out once (a large tie asks for many at once)."""
    known = rows.ranks
    missing = [r for r in dict.fromkeys(which) if r not in known]
    if missing:
        prefix, sha, ids = f"{salt}/".encode(), hashlib.sha256, rows.ids
        known.update(zip(missing, [sha(prefix + ids[r].encode()).digest() for r in missing]))
    return list(map(known.__getitem__, which))


def _ranker(rows: _Rows, salt: str) -> Callable[[int], bytes]:
    """A row's hash rank, worked out once per row."""
    ranks = rows.ranks

    def rank(row: int) -> bytes:
        found = ranks.get(row)
        return found if found is not None else _ranks(rows, [row], salt)[0]

    return rank


# The repair's network, as tagged tuples (hashable and cheap, the search keys a dict by them): a group of
# rows, a row of a group, a line of a row, the sink «T», and the column nodes.
_Group: TypeAlias = tuple[Literal["g"], Hashable]
_Row: TypeAlias = tuple[Literal["r"], Hashable, int]
_Line: TypeAlias = tuple[Literal["l"], Hashable, int, Hashable]
_Edge: TypeAlias = _Group | _Row | _Line  # an edge is named by its tail: group -> T, row -> group, line -> row
_Vertex: TypeAlias = "_Node | Literal['T'] | _Group | _Row | _Line"
# One step of a path: one øre more (1) or less (-1) on a column, a cell (leaf, index) or an edge.
_Op: TypeAlias = (
    tuple[Literal["col"], "_Node", int] | tuple[Literal["cell"], int, int, int] | tuple[Literal["edge"], _Edge, int]
)


class _Repair:
    """Move single øre along augmenting paths until every row and row group lies within its bounds.

    The flow network: each root's øre flow down the columns to the cells, from a cell to its row, from
    a row to its group, from a group to the sink. Columns are already within bounds; a row (or group)
    above its ceiling sends one øre back along a path of the residual graph that ends where the row's
    edge ends (below its floor: the other way), which keeps every other node within its bounds.
    """

    def __init__(
        self,
        leaves: Sequence[Leaf],
        rems: list[list[int]],
        extra: list[bytearray],
        groups: dict[Hashable, _Rows],
        roots: dict[Hashable, _Node],
        salt: str,
    ) -> None:
        self.leaves, self.rems, self.extra, self.groups, self.salt = leaves, rems, extra, groups, salt
        self.leaf_nodes: dict[int, _Node] = {}
        stack = list(roots.values())
        while stack:
            node = stack.pop()
            if node.leaf >= 0:
                self.leaf_nodes[node.leaf] = node
            stack.extend(node.children)
        self._row_cells: dict[tuple[Hashable, int, Hashable], list[tuple[int, int]]] | None = None
        self._row_lines: dict[tuple[Hashable, int], dict[Hashable, None]] = {}
        self._leaf_order: dict[int, list[int]] = {}

    def run(self) -> None:
        for rows in self.groups.values():
            rows.flow = sum(rows.given)
        order = sorted(self.groups, key=lambda g: hash_rank(self.salt, str(g)))
        for group in order:
            rows = self.groups[group]
            rank = _ranker(rows, self.salt)
            for key, line in rows.lines.items():
                for row in sorted((r for r, n in line.cells.items() if n > 1), key=rank):
                    lo, hi = line.bounds(row, rows.scale)
                    while line.given[row] > hi:
                        self._fix(("l", group, row, key), ("r", group, row), over=True)
                    while line.given[row] < lo:
                        self._fix(("l", group, row, key), ("r", group, row), over=False)
        for group in order:
            rows = self.groups[group]
            for row in self._violations(rows):
                lo, hi = rows.bounds(row)
                while rows.given[row] > hi:
                    self._fix(("r", group, row), ("g", group), over=True)
                while rows.given[row] < lo:
                    self._fix(("r", group, row), ("g", group), over=False)
        for group in order:
            rows = self.groups[group]
            while rows.flow > rows.hi:
                self._fix(("g", group), "T", over=True)
            while rows.flow < rows.lo:
                self._fix(("g", group), "T", over=False)

    def _violations(self, rows: _Rows) -> list[int]:
        """Rows with two or more fractional cells outside their bounds (one such cell never is), by hash."""
        scale = rows.scale
        bad_pairs = {
            (acc, given)
            for acc, given, cells in set(zip(rows.acc, rows.given, rows.cells))
            if cells > 1 and not (acc // scale <= given <= -(-acc // scale))
        }
        if not bad_pairs:
            return []
        bad = [i for i, pair in enumerate(zip(rows.acc, rows.given)) if pair in bad_pairs]
        return sorted(bad, key=_ranker(rows, self.salt))

    def _fix(self, tail: _Edge, head: _Group | _Row | Literal["T"], *, over: bool) -> None:
        """Move one øre off the edge tail -> head (over its ceiling) or onto it (under its floor)."""
        start: _Vertex
        goal: _Vertex
        start, goal = (tail, head) if over else (head, tail)
        came: dict[_Vertex, tuple[_Vertex, _Op] | None] = {start: None}
        queue: deque[_Vertex] = deque([start])
        while queue:
            u = queue.popleft()
            for v, op in self._moves(u, (tail, head)):
                if v in came:
                    continue
                came[v] = (u, op)
                if v == goal:
                    queue.clear()
                    break
                queue.append(v)
        if goal not in came:
            raise AssertionError("no augmenting path: the rounding has no solution")  # impossible (see module doc)
        step = came[goal]
        while step is not None:  # back along the path to the start, which came from nowhere
            prev, op = step
            self._apply(op)
            step = came[prev]
        self._apply(("edge", tail, -1 if over else 1))

    def _moves(self, u: _Vertex, skip: tuple[_Edge, _Vertex]) -> list[tuple[_Vertex, _Op]]:
        """The residual edges out of a node: where one more øre can go, or one less can come from."""
        out: list[tuple[_Vertex, _Op]] = []
        if isinstance(u, _Node):
            if u.parent is not None and u.k > u.lo:
                out.append((u.parent, ("col", u, -1)))
            if u.leaf >= 0:
                leaf, extra, rems = self.leaves[u.leaf], self.extra[u.leaf], self.rems[u.leaf]
                for i in self._order(u.leaf):
                    if rems[i] and not extra[i]:
                        row = leaf.rows[i]
                        target: _Row | _Line = (
                            ("r", leaf.group, row) if leaf.line is None else ("l", leaf.group, row, leaf.line)
                        )
                        out.append((target, ("cell", u.leaf, i, 1)))
            else:
                out.extend((c, ("col", c, 1)) for c in u.children if c.k < c.hi)
        elif u == "T":
            out.extend(
                (("g", g), ("edge", ("g", g), -1)) for g in self.groups if self.groups[g].flow > self.groups[g].lo
            )
        elif u[0] == "l":
            _, group, row, key = u
            rows = self.groups[group]
            line = rows.lines[key]
            for index, i in self._cells_of(group, row, key):
                if self.extra[index][i]:
                    out.append((self.leaf_nodes[index], ("cell", index, i, -1)))
            if line.given[row] < line.bounds(row, rows.scale)[1] and skip != (u, ("r", group, row)):
                out.append((("r", group, row), ("edge", u, 1)))
        elif u[0] == "r":
            _, group, row = u
            rows = self.groups[group]
            for index, i in self._cells_of(group, row, None):
                if self.extra[index][i]:
                    out.append((self.leaf_nodes[index], ("cell", index, i, -1)))
            for key in self._lines_of(group, row):
                line = rows.lines[key]
                if line.given[row] > line.bounds(row, rows.scale)[0]:
                    out.append((("l", group, row, key), ("edge", ("l", group, row, key), -1)))
            if rows.given[row] < rows.bounds(row)[1] and skip != (u, ("g", group)):
                out.append((("g", group), ("edge", u, 1)))
        else:
            _, group = u
            rows = self.groups[group]
            if rows.flow < rows.hi and skip != (u, "T"):
                out.append(("T", ("edge", u, 1)))
            rank = _ranker(rows, self.salt)
            for row in sorted(
                (r for r, n in enumerate(rows.cells) if n and rows.given[r] > rows.bounds(r)[0]), key=rank
            ):
                out.append((("r", group, row), ("edge", ("r", group, row), -1)))
        return out

    def _order(self, index: int) -> list[int]:
        """A leaf's cells by their row's hash, so the repair does not depend on the order of the register."""
        found = self._leaf_order.get(index)
        if found is None:
            leaf = self.leaves[index]
            rank = _ranker(self.groups[leaf.group], self.salt)
            found = self._leaf_order[index] = sorted(range(len(leaf.rows)), key=lambda i: rank(leaf.rows[i]))
        return found

    def _index(self) -> dict[tuple[Hashable, int, Hashable], list[tuple[int, int]]]:
        """The fractional cells of each row and line (line None: cells not in a line), built on first use."""
        if self._row_cells is None:
            self._row_cells = {}
            for index, leaf in enumerate(self.leaves):
                for i, (r, rem) in enumerate(zip(leaf.rows, self.rems[index])):
                    if rem:
                        self._row_cells.setdefault((leaf.group, r, leaf.line), []).append((index, i))
                        if leaf.line is not None:
                            self._row_lines.setdefault((leaf.group, r), {})[leaf.line] = None
        return self._row_cells

    def _cells_of(self, group: Hashable, row: int, line: Hashable) -> list[tuple[int, int]]:
        return self._index().get((group, row, line), [])

    def _lines_of(self, group: Hashable, row: int) -> list[Hashable]:
        self._index()
        return list(self._row_lines.get((group, row), ()))

    def _apply(self, op: _Op) -> None:
        if op[0] == "col":
            op[1].k += op[2]
        elif op[0] == "cell":
            _, index, i, step = op
            self.extra[index][i] += step
        else:  # an edge out of a line, a row or a group
            _, tail, step = op
            if tail[0] == "g":
                self.groups[tail[1]].flow += step
            elif tail[0] == "r":
                self.groups[tail[1]].given[tail[2]] += step
            else:
                self.groups[tail[1]].lines[tail[3]].given[tail[2]] += step


def round_to_total(exact: Sequence[Fraction], total: int) -> list[int]:
    """Exact øre values rounded down or up so that they sum to `total` (which must lie between the sum of
    their floors and of their ceilings): largest remainder, ties to the first. For a few parts of one
    rounded sum, e.g. the parts of a segment's amount between segments."""
    parts = [math.floor(e) for e in exact]
    left = total - sum(parts)
    order = sorted((i for i, e in enumerate(exact) if e != parts[i]), key=lambda i: (-(exact[i] - parts[i]), i))
    if not 0 <= left <= len(order):
        raise ValueError("the total is not within the parts' floors and ceilings")
    for i in order[:left]:
        parts[i] += 1
    return parts
