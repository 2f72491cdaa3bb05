-- The returns of an unannotated function are inferred and checked where they go.
local function count_words(s: string)
    local n = 0
    for _ in s:gmatch("%S+") do
        n = n + 1
    end
    return n
end
local label: string = count_words("a b") -- expect-error: cannot assign integer to `label`, declared string
local total: integer = count_words("a b")
print(label, total)
