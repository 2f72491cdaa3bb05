-- os.time gives an integer.
math.randomseed(os.time())
print(string.rep("-", os.time() % 5))
