-- An unannotated local that is assigned a float becomes a number.
local n = 10
n = n / 4
print(string.rep("x", n)) -- expect-error: argument 2 (n) is number, not integer
