-- A body ending in error() does not fall through.
local function must(x: integer)
    if x > 0 then
        return x
    end
    error("not positive")
end
local n: integer = must(1)
print(n)
