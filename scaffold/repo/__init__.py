"""The repository scaffold works on: a read-only view of its files (:mod:`.view`), the
listing behind it, git work tree or walk (:mod:`.listing`), what counts as vendored or
generated (:mod:`.vendored`), and the one way scaffold runs git (:mod:`.git`).

Nothing is imported here, so that importing one part costs only that part.
"""
