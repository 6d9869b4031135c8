from tests.matrix import Case, expect

CASES = [
    Case("municipalities:list", expect(200)),
    Case("municipalities:list", expect(200), query="?fylke=11", label="county"),
    Case("municipalities:detail", expect(200), kwargs={"number": "1870"}),
    Case("municipalities:detail", expect(404), kwargs={"number": "9999"}, label="unknown"),
    Case("municipalities:project_detail", expect(200), kwargs={"slug": "karmoy-omdomme"}),
]
