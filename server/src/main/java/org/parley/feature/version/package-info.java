/** Software Version (XEP-0092 1.1): the server's name and version. */
package org.parley.feature.version;
