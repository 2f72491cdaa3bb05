-- A local assigned values of different kinds is any afterwards.
local v = "a"
v = 1
local s: string = v
print(s)
