-- math.max and math.min of integers are integers.
local function need(n: integer): integer
    return n
end
local lo = math.max(1, #"abc" - 10)
local hi = math.min(#"abc", 99)
print(need(lo), need(hi), string.sub("abc", lo, hi))
print(need(math.max(1, 2.5))) -- expect-error: argument 1 (n) is number, not integer
