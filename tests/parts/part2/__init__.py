"""第二部分各章的测试：tests/parts/part2/test_<章>.py 对应 book/part2/<章>.md 与 quyu/parts/part2/<章>.py。"""
