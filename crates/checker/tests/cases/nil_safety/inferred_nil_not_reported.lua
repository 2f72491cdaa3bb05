-- A nil only inferred from code (an unannotated function that may return nil) is left to
-- strict mode.
local function find(xs: {string}, x: string)
    for i, v in ipairs(xs) do
        if v == x then
            return {index = i}
        end
    end
    return nil
end
print(find({}, "a").index)
