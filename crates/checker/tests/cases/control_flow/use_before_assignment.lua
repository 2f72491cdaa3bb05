-- `local total: number` then `total + v` before any assignment.
local function sum(xs: {number}): number
    local total: number
    for _, v in ipairs(xs) do
        total = total + v -- expect-error: E0015 `total` is used before it is assigned
    end
    return total -- expect-error: E0015 `total` is used before it is assigned
end
print(sum({1, 2}))

-- Assigned on every path before the use: fine.
local function sign(n: number): string
    local s: string
    if n < 0 then
        s = "-"
    else
        s = "+"
    end
    return s
end
print(sign(1))
