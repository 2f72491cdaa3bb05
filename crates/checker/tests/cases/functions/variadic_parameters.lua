-- A variadic function takes any number of arguments of its type.
local function sum(...: number): number
    local t = 0
    for _, v in ipairs({ ... }) do
        t = t + v
    end
    return t
end
print(sum(), sum(1), sum(1, 2, 3))
print(sum(1, "2")) -- expect-error: argument 2 is string, not number
