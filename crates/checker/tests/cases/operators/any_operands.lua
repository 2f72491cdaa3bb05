-- Values of unknown type are never invalid operands.
local v = json.decode("1")
print(v + 1, v .. "", v < 2, v == "x", #v, -v)
