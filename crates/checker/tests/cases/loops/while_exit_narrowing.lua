-- After `while x == nil do … end`, `x` is not nil.
local function first_line(read: () -> string?): string
    local line = read()
    while line == nil do
        line = read()
    end
    return line
end
print(first_line(function() return "a" end))
