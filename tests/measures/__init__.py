"""quyu.measures 的测试，一个度量模块一个文件（与 quyu/measures/ 的划分相同）。"""
