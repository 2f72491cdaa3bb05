-- Bitwise operators give integers.
local function need(n: integer): integer
    return n
end
local flags = 5
print(need(flags & 1), need(flags | 2), need(flags ~ 3), need(flags << 1), need(flags >> 1), need(~flags))
