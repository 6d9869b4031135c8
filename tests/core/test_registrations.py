from core.page_blocks import BlockRegistry, PageBlock
from core.registrations import register


def test_register_fills_each_kind_of_registry():
    blocks = BlockRegistry("test")
    first = PageBlock(key="first", template="first.html", get_context=lambda **kw: {})
    second = PageBlock(key="second", template="second.html", get_context=lambda **kw: {})
    annotators = {"old": len}
    calls = []

    register(
        [
            (blocks, first, second),
            (annotators, {"new": str}),
            (lambda *args: calls.append(args), ("job", 1), ("other", 2)),
        ]
    )

    assert blocks._blocks == {"first": first, "second": second}
    assert annotators == {"old": len, "new": str}
    assert calls == [("job", 1), ("other", 2)]
