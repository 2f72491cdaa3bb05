-- `select("#", ...)` is an integer.
local function count(...): integer
    return select("#", ...)
end
print(count(1, 2))
