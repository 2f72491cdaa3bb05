-- `#` of a number fails at run time.
local function size(n: integer): integer
    return #n -- expect-error: cannot apply the length operator to integer
end
print(size(3), #"abc", #{ 1 })
