"""kg_builder: policy text → structure with offsets → RDF graph with provenance.

Entry point: `build_graph(text, *, config)` (see `kg_builder.build`). Imports neither reasoner nor qa_app.
"""
