-- A function declared to return `T?` may end without `return`.
local function find(xs: {string}, x: string): integer?
    for i, v in ipairs(xs) do
        if v == x then
            return i
        end
    end
end
print(find({}, "a"))
