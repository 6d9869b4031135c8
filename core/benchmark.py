"""What only the benchmark (``bench/run.py``) switches on, with ``BENCHMARK=1``.

- :func:`hello`: a «hello world» page on the full middleware stack, the ceiling every page
  is measured against (``/benchmark/hello/``; the URL does not exist otherwise).
- :class:`QueryCountMiddleware`: the number of database queries of each request in an
  ``X-Query-Count`` header, so that the load run itself reports queries per request.
"""

from contextlib import ExitStack

from django.db import connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

QUERY_COUNT_HEADER = "X-Query-Count"


@never_cache
def hello(request):
    """Never stored in the page cache: the ceiling is the stack, not a cache hit."""
    return HttpResponse("Hello, world\n", content_type="text/plain; charset=utf-8")


class QueryCountMiddleware:
    """Counts the queries of all database connections; place it first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counting))
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response
