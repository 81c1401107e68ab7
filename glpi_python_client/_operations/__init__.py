"""Operations of the client, each written once as a plan (see ``.._plan``)."""
