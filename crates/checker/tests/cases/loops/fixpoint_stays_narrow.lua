-- A local only given non-nil values in the loop stays non-nil.
local function f(xs: {integer}): integer
    local acc: integer? = 0
    acc = acc or 0
    for _, x in ipairs(xs) do
        acc = acc + x
    end
    return acc
end
print(f({1, 2}))
