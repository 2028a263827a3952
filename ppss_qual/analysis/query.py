"""The excerpt query language: code names joined by AND, OR, NOT and NEAR/k, with parentheses.

Grammar, loosest binding first (all operators are binary and left-associative):

    query    := either
    either   := both ( OR both )*
    both     := near ( ( AND | NOT | AND NOT ) near )*
    near     := primary ( NEAR/k primary )*
    primary  := NAME | "a name with spaces" | ( query )

So `A OR B AND C` is `A OR (B AND C)`, `A AND B NOT C` is `(A AND B) NOT C`, and `A NEAR/1 B AND C` is
`(A NEAR/1 B) AND C`. Operators are written in capitals or not (`and` works too); a code whose name is an
operator word must be quoted. Bare words in a row, up to an operator, a parenthesis or a quote, are one
name, so `Att bli lyssnad på AND Tillit` works as `"Att bli lyssnad på" AND Tillit` (and a shell's quoted
argument `"Barnets röst"` arrives without its quotes but still means the theme). A name is matched as
`codes` arguments are: Swedish or English name (case-insensitive) or a path `Theme/Code`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ppss_qual.errors import InvalidOperation

OPERATORS = ("AND", "OR", "NOT")
_NEAR = re.compile(r"NEAR(?:/(\d*))?$", re.IGNORECASE)


class QueryError(InvalidOperation):
    """A query that does not parse; `position` is the 0-based index in the query where it went wrong."""

    def __init__(self, query: str, position: int, message: str):
        self.query = query
        self.position = position
        self.reason = message
        pointer = " " * position + "^"
        super().__init__(f"query error at position {position + 1}: {message}\n  {query}\n  {pointer}")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "name", "quoted", "(", ")", "AND", "OR", "NOT", "NEAR", "end"
    text: str
    position: int
    k: int = 0


@dataclass(frozen=True, slots=True)
class Code:
    """A code (with its sub-codes) named in the query."""

    name: str
    position: int
    quoted: bool = False

    def __str__(self) -> str:
        return f'"{self.name}"' if self.quoted or not _bare_ok(self.name) else self.name


@dataclass(frozen=True, slots=True)
class Op:
    """A binary operator: AND, OR, NOT or NEAR (with its distance k)."""

    op: str
    left: Node
    right: Node
    k: int = 0

    def __str__(self) -> str:
        word = f"NEAR/{self.k}" if self.op == "NEAR" else self.op
        return f"({self.left} {word} {self.right})"


Node = Code | Op


def _bare_ok(name: str) -> bool:
    return bool(name) and not any(c.isspace() or c in '()"' for c in name) and name.upper() not in OPERATORS


def tokens(query: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c in "()":
            out.append(Token(c, c, i))
            i += 1
        elif c == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise QueryError(query, i, 'this quote is never closed: end the name with another "')
            name = query[i + 1 : close]
            if not name.strip():
                raise QueryError(query, i, "empty quotes: put a code name between them")
            out.append(Token("quoted", name.strip(), i))
            i = close + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"':
                j += 1
            word = query[i:j]
            near = _NEAR.match(word)
            if word.upper() in OPERATORS:
                out.append(Token(word.upper(), word, i))
            elif near:
                if not near.group(1):
                    raise QueryError(
                        query,
                        i,
                        "NEAR needs a distance in sentences, as in NEAR/1 (NEAR/0: the same sentence)",
                    )
                out.append(Token("NEAR", word, i, int(near.group(1))))
            else:
                out.append(Token("name", word, i))
            i = j
    out.append(Token("end", "", n))
    return out


def describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the query"
    if token.kind == "quoted":
        return f'"{token.text}"'
    return repr(token.text) if token.kind == "name" else token.text


class _Parser:
    def __init__(self, query: str):
        self.query = query
        self.tokens = tokens(query)
        self.i = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, expected: str) -> QueryError:
        token = self.token
        message = f"expected {expected}, found {describe(token)}"
        if (
            token.kind in ("name", "quoted")
            and self.i > 0
            and self.tokens[self.i - 1].kind in ("name", "quoted")
        ):
            message += (
                " (two names need an operator between them; put a whole name inside one pair of quotes)"
            )
        return QueryError(self.query, token.position, message)

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise QueryError(self.query, 0, "the query is empty: name a code")
        node = self.either()
        if self.token.kind != "end":
            if self.token.kind == ")":
                raise QueryError(self.query, self.token.position, "this ) has no ( to close")
            raise self.fail("AND, OR, NOT, NEAR/k or the end of the query")
        return node

    def either(self) -> Node:
        node = self.both()
        while self.token.kind == "OR":
            self.take()
            node = Op("OR", node, self.both())
        return node

    def both(self) -> Node:
        node = self.near()
        while self.token.kind in ("AND", "NOT"):
            op = self.take().kind
            if op == "AND" and self.token.kind == "NOT":  # "A AND NOT B" reads as "A NOT B"
                op = self.take().kind
            node = Op(op, node, self.near())
        return node

    def near(self) -> Node:
        node = self.primary()
        while self.token.kind == "NEAR":
            k = self.take().k
            node = Op("NEAR", node, self.primary(), k)
        return node

    def primary(self) -> Node:
        token = self.token
        if token.kind == "quoted":
            self.take()
            return Code(token.text, token.position, True)
        if token.kind == "name":
            # Bare words in a row are one name ("Att bli lyssnad på"), as a shell passes a quoted argument.
            words = [self.take().text]
            while self.token.kind == "name":
                words.append(self.take().text)
            return Code(" ".join(words), token.position)
        if token.kind == "(":
            self.take()
            if self.token.kind == ")":
                raise self.fail("a code name inside the parentheses")
            node = self.either()
            if self.token.kind != ")":
                raise self.fail(f"a ) to close the ( at position {token.position + 1}")
            self.take()
            return node
        raise self.fail('a code name, a "quoted name" or (')


def parse(query: str) -> Node:
    """The query as a tree of Code and Op nodes; QueryError names the position and what was expected."""
    return _Parser(query).parse()


def names(node: Node) -> list[Code]:
    """The code names in the query, left to right."""
    if isinstance(node, Code):
        return [node]
    return [*names(node.left), *names(node.right)]
