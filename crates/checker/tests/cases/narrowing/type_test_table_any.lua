-- `type(v) == "table"` on any.
local function f(v: any): integer
    if type(v) == "table" then
        return #v
    end
    return 0
end
print(f({}))
