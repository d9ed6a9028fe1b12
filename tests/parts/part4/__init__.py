"""第四部分各章的测试：tests/parts/part4/test_<章>.py 对应 book/part4/<章>.md 与 quyu/parts/part4/<章>.py。"""
