-- Each `elseif` has the earlier conditions false.
local function f(a: string?, b: string?): integer
    if a then
        return #a
    elseif b then
        return #b
    else
        return 0
    end
end
print(f(nil, nil))
