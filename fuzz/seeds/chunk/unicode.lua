local s = "héllo 😀"
local t = { ["ключ"] = 1 }
return s, t
