"""quyu.models 的测试，一个模型一个文件（与 quyu/models/ 的划分相同）。"""
