-- math.floor, math.ceil and math.tointeger give integers.
local function need(n: integer): integer
    return n
end
local x = 7 / 2
print(need(math.floor(x)), need(math.ceil(x)))
local t = math.tointeger(x)
if t then
    print(need(t))
end
print(need(x)) -- expect-error: argument 1 (n) is number, not integer
