"""各章的测试，与 quyu/parts 和 book/ 一一对应：tests/parts/partN/test_<章>.py。"""
