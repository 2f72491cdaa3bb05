-- pairs over a typed map gives typed keys and values.
local function total(m: {[string]: integer}): integer
    local t = 0
    for k, v in pairs(m) do
        t = t + v
        print(k:upper())
        local bad: string = v -- expect-error: cannot assign integer to `bad`, declared string
        print(bad)
    end
    return t
end
print(total({ a = 1 }))
