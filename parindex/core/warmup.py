"""What an application server loads once it has started, before its first request.

A fresh worker process pays, inside its first requests, for importing every view through the
URLconf (~0.6 s of CPU here), compiling the templates of the sign-in page, importing the
Redis client and the Argon2 bindings. At the start of a scoring day those first requests are
sign-ins arriving together: each worker's first ones would hold the interpreter lock for that
long while the others wait. :func:`warm_up` does it at start-up instead (``parindex.wsgi``).
It opens no connection: neither the database nor Redis need to be reachable yet.

Last, it collects garbage once and freezes what is left (:func:`gc.freeze`): the hundreds of
thousands of objects of the loaded code then stay out of every later collection, instead of
a full collection walking them all (~0.1 s) inside some request.
"""

from __future__ import annotations

import gc

from django.conf import settings
from django.contrib.auth.hashers import get_hashers
from django.core.cache import caches
from django.template.loader import get_template
from django.urls import get_resolver

# The templates of the first pages everyone opens (and what they extend and include).
FIRST_TEMPLATES = ("accounts/login.html", "base.html", "404.html", "403.html")


def warm_up() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports the URLconf, hence every view)
    resolver.reverse_dict  # noqa: B018 (the reverse lookup tables of every namespace)
    for name in FIRST_TEMPLATES:
        get_template(name)
    get_hashers()  # imports the hashers' libraries (argon2-cffi's bindings)
    for alias in settings.CACHES:
        getattr(caches[alias], "_cache", None)  # RedisCache's client: imports redis, no connection
    gc.collect()
    gc.freeze()
