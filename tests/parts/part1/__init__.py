"""第一部分各章的测试：tests/parts/part1/test_<章>.py 对应 book/part1/<章>.md 与 quyu/parts/part1/<章>.py。"""
