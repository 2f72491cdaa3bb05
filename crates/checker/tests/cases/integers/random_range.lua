-- math.random(m, n) gives an integer.
local charset = "abcdef"
local i = math.random(1, #charset)
print(charset:sub(i, i))
