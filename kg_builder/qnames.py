"""A namespace manager for graphs with many distinct IRI paths (one per clause, measure, condition, citation).

rdflib's `NamespaceManager.compute_qname` inserts the namespace part of every IRI it is asked about into a
prefix trie whose insertion scans all siblings, so writing Turtle for a graph with n measures took time
growing with n² (1,000 articles: minutes). Serialisers ask for a qname of every subject and object; ours have
no prefix, and for those `KnownPrefixes.compute_qname` answers "no prefix" (KeyError, what rdflib answers
too) straight from the bound namespaces. Every other question goes to rdflib unchanged, so the Turtle
written is the same text as before.
"""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager, split_uri


class KnownPrefixes(NamespaceManager):
    def __init__(self, graph: Graph, bind_namespaces="rdflib"):
        self._bound: tuple[str, ...] | None = None
        self._unprefixed: set[str] = set()
        super().__init__(graph, bind_namespaces)

    def bind(self, prefix, namespace, override: bool = True, replace: bool = False) -> None:
        self._bound, self._unprefixed = None, set()
        super().bind(prefix, namespace, override=override, replace=replace)

    def compute_qname(self, uri: str, generate: bool = True):
        if not generate and self._no_prefix(uri):
            raise KeyError(f"No known prefix for {uri} and generate=False")
        return super().compute_qname(uri, generate)

    def _no_prefix(self, uri: str) -> bool:
        """True when neither the namespace part of `uri` nor a longer bound namespace it starts with has a prefix."""
        if uri in self._unprefixed:
            return True
        try:
            namespace, _ = split_uri(uri)
        except ValueError:
            return False  # rdflib's own answer for IRIs it cannot split
        if self._bound is None:
            self._bound = tuple(str(ns) for _, ns in self.namespaces())
        if self.store.prefix(URIRef(namespace)) is not None or \
                any(len(ns) > len(namespace) and uri.startswith(ns) for ns in self._bound):
            return False
        self._unprefixed.add(uri)
        return True


def use_known_prefixes(graph: Graph) -> Graph:
    """Give `graph` a `KnownPrefixes` manager with the namespaces it binds by default; returns the graph."""
    graph.namespace_manager = KnownPrefixes(graph, getattr(graph, "_bind_namespaces", "rdflib"))
    return graph
