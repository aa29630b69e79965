from django.db.models import Q


def under_paths(paths: list[str], *, path_field: str = "path") -> Q:
    """The condition "this area path starts with one of these paths" (an area or anything below it)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def ancestor_paths(path: str) -> list[str]:
    """The paths of an area and of every area above it ("/15/1525/" → ["/15/", "/15/1525/"])."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts) + 1)]
