"""第三部分各章的测试：tests/parts/part3/test_<章>.py 对应 book/part3/<章>.md 与 quyu/parts/part3/<章>.py。"""
