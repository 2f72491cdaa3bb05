-- mode: strict
-- A nil inferred from code is reported in strict mode.
local function find(xs: {string}, x: string)
    for i, v in ipairs(xs) do
        if v == x then
            return {index = i}
        end
    end
    return nil
end
print(find({}, "a").index) -- expect-error: E0023 cannot index `find(…)`: it may be nil
