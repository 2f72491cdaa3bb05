-- Inferred returns join over every return: nil on one path makes the value optional.
local function find(xs: {string}, want: string)
    for i, x in ipairs(xs) do
        if x == want then
            return i
        end
    end
    return nil
end
local i = find({ "a" }, "a")
local s: string = find({ "a" }, "a") -- expect-error: cannot assign integer? to `s`, declared string
print(i, s)
