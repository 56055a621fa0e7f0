"""Planning and writing: the planners (:mod:`.new`, :mod:`.adopt`, :mod:`.folders`,
:mod:`.agents`) turn what was rendered and what the repository holds into a
:class:`~scaffold.model.Plan`; :mod:`.merge` adds the tables a structured config lacks;
:mod:`.apply` is the one writer, all or nothing.
"""
