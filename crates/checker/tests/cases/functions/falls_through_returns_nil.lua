-- A body that can end without `return` also returns nothing.
local function maybe(x: integer)
    if x > 0 then
        return "pos"
    end
end
local s: string = maybe(1)
print(s)
