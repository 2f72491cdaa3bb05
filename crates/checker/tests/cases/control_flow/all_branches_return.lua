-- Every branch returns: no missing return.
local function sign(n: number): string
    if n > 0 then
        return "+"
    elseif n < 0 then
        return "-"
    else
        return "0"
    end
end
print(sign(1))
