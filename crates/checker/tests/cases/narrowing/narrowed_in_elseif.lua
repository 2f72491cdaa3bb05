-- Each branch narrows by its own test.
local function size(v: any): integer
    if type(v) == "string" then
        return #v
    elseif type(v) == "table" then
        return #v
    end
    return 0
end
print(size("ab"))
